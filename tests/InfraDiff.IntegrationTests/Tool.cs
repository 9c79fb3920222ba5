using System.Diagnostics;

namespace InfraDiff.IntegrationTests;

/// <summary>Runs a real program the tests drive (systemctl, git, dotnet, chroot…) and captures what it printed.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Everything it printed, stdout then stderr.</summary>
        public string Output => StandardOutput + StandardError;
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the program and fails the test unless it exits 0, naming the command and what it printed.</summary>
    public static async Task<Result> RunCheckedAsync(string program, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await RunAsync(program, arguments, directory, environment);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}{(directory is null ? "" : $" in {directory}")} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing the test after <paramref name="seconds"/> with what it waited for.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
