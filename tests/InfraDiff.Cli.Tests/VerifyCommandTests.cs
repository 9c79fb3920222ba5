using System.Diagnostics;
using System.Globalization;
using InfraDiff.Monitoring;

namespace InfraDiff.Cli.Tests;

/// <summary><c>infradiff verify</c> beside a real watcher, and without the key the store was written with.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("infradiff-verify-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    private string KeyFile => Path.Join(work, "store.key");

    private int Cycles() => Directory.Exists(Path.Join(Store, "reports")) ? Directory.GetFiles(Path.Join(Store, "reports"), "cycle-*.json").Length : 0;

    [Fact]
    public async Task Verify_run_500_times_beside_a_watcher_cycling_every_second_finds_nothing_wrong()
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Join(AppContext.BaseDirectory, "infradiff.dll"), "watch", "--interval", "1s", "--only", "files", "--files", Tree, "--no-cache", "--dir", Store, "--key-file", KeyFile, "--heartbeat", "off" })
        {
            start.ArgumentList.Add(argument);
        }

        using var watcher = Process.Start(start)!;
        watcher.OutputDataReceived += (_, _) => { };
        watcher.ErrorDataReceived += (_, _) => { };
        watcher.BeginOutputReadLine();
        watcher.BeginErrorReadLine();
        try
        {
            for (var wait = 0; Cycles() < 2 && wait < 600; wait++)
            {
                await Task.Delay(100);
            }

            var key = StoreKey.LoadExisting(KeyFile);
            var cyclesBefore = Cycles();
            var runs = 0;
            for (; runs < 500; runs++)
            {
                if (runs % 50 == 0)
                {
                    // A change now and then: alerts are queued, delivered (to stdout) and removed while verify reads.
                    File.WriteAllText(Path.Join(Tree, $"f{runs}"), $"{runs}");
                }

                var problems = StoreVerifier.Verify(Store, key, out _);
                Assert.True(problems.Count == 0, $"run {runs + 1}: {string.Join("; ", problems)}");
                await Task.Delay(10);
            }

            Assert.False(watcher.HasExited, "the watcher stopped");
            Assert.True(Cycles() - cyclesBefore >= 3, $"only {Cycles() - cyclesBefore} cycles ran beside {runs} verify runs");
        }
        finally
        {
            Process.Start("kill", ["-TERM", watcher.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            await watcher.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Verify_without_the_key_is_one_line_and_makes_none()
    {
        Directory.CreateDirectory(Tree);
        var watch = await CliRunner.RunAsync("watch", "--once", "--only", "files", "--files", Tree, "--dir", Store, "--key-file", KeyFile);
        Assert.Equal(0, watch.ExitCode);
        var missing = Path.Join(work, "other.key");

        var verify = await CliRunner.RunAsync("verify", "--dir", Store, "--key-file", missing);

        Assert.Equal(2, verify.ExitCode);
        Assert.Equal($"infradiff: {missing}: no store key (give the key the store was written with: --key-file, INFRADIFF_STORE_KEY or INFRADIFF_STORE_KEY_FD)\n", verify.StandardError);
        Assert.False(File.Exists(missing));
        Assert.Equal(0, (await CliRunner.RunAsync("verify", "--dir", Store, "--key-file", KeyFile)).ExitCode);
    }

    [Fact]
    public async Task A_key_that_is_a_fifo_stops_watch_at_once_with_one_line()
    {
        var fifo = Path.Join(work, "fifo.key");
        Assert.Equal(0, (await CliRunner.RunToolAsync("mkfifo", fifo)).ExitCode);
        var clock = Stopwatch.StartNew();

        var watch = await CliRunner.RunAsync("watch", "--once", "--only", "users", "--dir", Store, "--key-file", fifo);

        Assert.Equal(2, watch.ExitCode);
        Assert.Equal($"infradiff: {fifo}: a FIFO, not a key file (a regular file of 32 bytes)\n", watch.StandardError);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }
}
