using System.Diagnostics;
using System.Reflection;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>The real infradiff executable, run to completion.</summary>
internal static class Infradiff
{
    public static readonly string Executable = typeof(Infradiff).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InfradiffExecutable").Value!;

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>The text a markdown report shows: host text is escaped in it, each ASCII punctuation character after a backslash.</summary>
    public static string Shown(string markdown) => System.Text.RegularExpressions.Regex.Replace(markdown, @"\\([!-/:-@\[-`{-~])", "$1");

    public static async Task<Result> RunAsync(string cacheHome, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["XDG_CACHE_HOME"] = cacheHome;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
