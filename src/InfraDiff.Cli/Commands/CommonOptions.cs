using System.CommandLine;
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

    /// <summary>The store key's file (a new option each time: an option belongs to one command).</summary>
    public static Option<string?> KeyFile() => new("--key-file")
    {
        Description = "The key that authenticates the store's journal, kept outside the store; created (0600) on first use [env INFRADIFF_STORE_KEY (64 hex digits) or INFRADIFF_STORE_KEY_FD take precedence; default: store.key in the cache folder].",
        HelpName = "FILE",
    };

    /// <summary>Runs a command body, turning any error into one line on stderr and exit code 2 (a stack trace only with --verbose).</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="body">The command.</param>
    /// <param name="minimum">The least a line must weigh to be logged without --verbose; watch logs each cycle (information), with UTC timestamps.</param>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<ILogger, Task<int>> body, LogLevel minimum = LogLevel.Warning)
    {
        var verbose = parseResult.GetValue(Verbose);
        var logger = new StderrLogger(verbose ? LogLevel.Debug : minimum, timestamps: minimum < LogLevel.Warning);
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

    /// <summary>A snapshot's exit code: partial when any collector or part of one failed or timed out ("unavailable" alone is not partial).</summary>
    public static int ExitCodeOf(Snapshot snapshot) =>
        snapshot.Metadata.Collectors.Values.Any(r => r.Status is CollectorStatus.Failed or CollectorStatus.Timeout || r.Failed is { Count: > 0 }) ? ExitCodes.Partial : ExitCodes.Ok;
}
