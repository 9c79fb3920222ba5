using System.CommandLine;
using InfraDiff.Collection;
using InfraDiff.Snapshots;
using InfraDiff.Cli.Rendering;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log progress to stderr and show stack traces on errors.",
        Recursive = true,
    };

    /// <summary>Runs a command body, turning any error into one line on stderr and exit code 2 (a stack trace only with --verbose).</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<ILogger, Task<int>> body)
    {
        var verbose = parseResult.GetValue(Verbose);
        var logger = new StderrLogger(verbose ? LogLevel.Debug : LogLevel.Warning);
        try
        {
            return await body(logger);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("infradiff: cancelled");
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(ex is InfraDiffException ? $"infradiff: {ex.Message}" : $"infradiff: unexpected error: {ex.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(ex);
            }

            return ExitCodes.Error;
        }
    }

    /// <summary>A snapshot's exit code: partial when any collector failed or timed out ("unavailable" alone is not partial).</summary>
    public static int ExitCodeOf(Snapshot snapshot) =>
        snapshot.Metadata.Collectors.Values.Any(r => r.Status is CollectorStatus.Failed or CollectorStatus.Timeout) ? ExitCodes.Partial : ExitCodes.Ok;
}

/// <summary>The options that choose what a snapshot collects: shared by every command that takes one.</summary>
internal sealed class SnapshotSelection
{
    private readonly Option<string[]> only = new("--only")
    {
        Description = "Collect only these sections (comma-separated or repeated), e.g. --only users,packages.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> exclude = new("--exclude")
    {
        Description = "Skip these sections (comma-separated or repeated).",
    };

    private readonly Option<string> root = new("--root")
    {
        Description = "Read the host's files under DIR instead of / (a mounted image, a container's rootfs). Runtime state is then not collected.",
        HelpName = "DIR",
        DefaultValueFactory = _ => "/",
    };

    private readonly Option<TimeSpan> timeout = new("--collector-timeout")
    {
        Description = "How long one collector may run before it is recorded as timed out (e.g. 00:00:30).",
        DefaultValueFactory = _ => new SnapshotOptions().CollectorTimeout,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(only);
        command.Options.Add(exclude);
        command.Options.Add(root);
        command.Options.Add(timeout);
    }

    public SnapshotOptions Read(ParseResult parseResult) => new()
    {
        Only = SplitList(parseResult.GetValue(only)),
        Exclude = SplitList(parseResult.GetValue(exclude)),
        Root = parseResult.GetValue(root) ?? "/",
        CollectorTimeout = parseResult.GetValue(timeout),
    };

    private static string[] SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
