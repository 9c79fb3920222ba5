using System.Diagnostics;

namespace InfraDiff.Cli.Tests;

/// <summary>Runs the real infradiff executable (the built infradiff.dll beside the tests) and captures what it prints.</summary>
internal static class CliRunner
{
    private static readonly string CacheHome = Directory.CreateTempSubdirectory("infradiff-cli-cache-").FullName;

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(params string[] arguments) => await RunInAsync(null, null, arguments);

    /// <summary>Another program the tests check infradiff's output with (xmllint, node, systemd-analyze): its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToolAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<Result> RunInAsync(string? workingDirectory, IDictionary<string, string?>? environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts infradiff and leaves it running (a watcher): what it prints is collected in <paramref name="output"/>;
    /// the caller ends it by its PID (Kill) when done.
    /// </summary>
    public static Process Start(System.Text.StringBuilder output, params string[] arguments)
    {
        var process = Process.Start(StartInfo(null, null, arguments))!;
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string? workingDirectory, IDictionary<string, string?>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Path.Join(AppContext.BaseDirectory, "infradiff.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        // The file hash cache goes to a folder of the test run's, never the user's ~/.cache.
        start.Environment["XDG_CACHE_HOME"] = CacheHome;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
