using System.Text;

namespace InfraDiff.Cli.Tests;

/// <summary>A watcher started with lower CPU and I/O priorities: every thread it has carries them, as the kernel reports.</summary>
public sealed class ResourceCapsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-caps-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Nice_and_the_idle_io_class_reach_every_thread_of_a_watcher()
    {
        var output = new StringBuilder();
        using var watcher = CliRunner.Start(output, "watch", "--dir", Path.Join(directory, "store"), "--key-file", Path.Join(directory, "key"), "--only", "os",
            "--interval", "1h", "--heartbeat", "off", "--nice", "12", "--io-class", "idle");
        try
        {
            var store = Path.Join(directory, "store", "reports");
            for (var i = 0; i < 300 && !(Directory.Exists(store) && Directory.EnumerateFiles(store).Any()); i++)
            {
                await Task.Delay(100);
            }

            Assert.True(Directory.Exists(store), output.ToString());
            var threads = Directory.GetDirectories($"/proc/{watcher.Id}/task");
            Assert.True(threads.Length > 3, $"{threads.Length} threads");
            foreach (var thread in threads)
            {
                // Field 19 of stat, counted after the command name's closing parenthesis (a thread's name may hold spaces).
                // A pool thread may end meanwhile: what is gone is not asked again.
                string stat;
                try
                {
                    stat = await File.ReadAllTextAsync(Path.Join(thread, "stat"));
                }
                catch (IOException) when (!Directory.Exists(thread))
                {
                    continue;
                }

                Assert.Equal("12", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
                var ionice = await CliRunner.RunToolAsync("ionice", "-p", Path.GetFileName(thread));
                Assert.True(ionice.Output.Trim() == "idle" || !Directory.Exists(thread), $"thread {Path.GetFileName(thread)}: {ionice.Output}");
            }
        }
        finally
        {
            watcher.Kill();
            await watcher.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--nice", "20", "--nice: must be from 0 to 19 (a scan only ever lowers its priority), not '20'")]
    [InlineData("--nice", "-5", "--nice: must be from 0 to 19 (a scan only ever lowers its priority), not '-5'")]
    [InlineData("--max-read-rate", "fast", "--max-read-rate: must be a size such as 50M, 1G or 512K, not 'fast'")]
    [InlineData("--max-read-rate", "100K", "--max-read-rate: must be at least 1M a second, not 102400 bytes")]
    [InlineData("--max-memory", "1M", "--max-memory: must be at least 64M")]
    public async Task A_cap_out_of_range_is_one_line_and_exit_2(string flag, string value, string line)
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "os", "-o", Path.Join(directory, "s.json"), flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {line}\n", result.StandardError);
        Assert.False(File.Exists(Path.Join(directory, "s.json")));
    }
}
