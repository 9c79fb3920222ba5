using System.CommandLine;
using InfraDiff.Cli.Rendering;
using InfraDiff.Snapshots;
using Microsoft.Extensions.DependencyInjection;
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

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Only errors on stderr: no warnings, no progress, no per-cycle line (the exit code still tells drift from failure).",
        Recursive = true,
    };

    public static readonly Option<string> Color = new Option<string>("--color")
    {
        Description = "Colour in the text report: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always (even with NO_COLOR), or never.",
        HelpName = "WHEN",
        DefaultValueFactory = _ => "auto",
        Recursive = true,
    }.AcceptOnlyFromAmong("auto", "always", "never");

    /// <summary>A progress line while files are hashed, on a terminal's stderr unless --quiet.</summary>
    public static IProgress<Sections.Files.FileHashProgress>? Progress(ParseResult parseResult) =>
        Console.IsErrorRedirected || parseResult.GetValue(Quiet) ? null : new HashProgressLine();

    /// <summary>Whether the text report is coloured, as --color says.</summary>
    public static bool Colour(ParseResult parseResult) => parseResult.GetValue(Color) switch
    {
        "always" => true,
        "never" => false,
        _ => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && Environment.GetEnvironmentVariable("TERM") != "dumb",
    };

    public static readonly Option<string> LogFormat = new Option<string>("--log-format")
    {
        Description = "How stderr logs: text (one line each) or json (one JSON object a line: Timestamp in UTC, LogLevel, Category, EventId, Message, State) [env INFRADIFF_LOG_FORMAT; default text].",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    /// <summary>Runs a command body, turning any error into one line on stderr and exit code 2 (a stack trace only with --verbose).</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="body">The command, given the loggers to hand to what it builds.</param>
    /// <param name="minimum">The least a line must weigh to be logged without --verbose; watch logs each cycle (information), with UTC timestamps.</param>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<ILoggerFactory, Task<int>> body, LogLevel minimum = LogLevel.Warning)
    {
        var verbose = parseResult.GetValue(Verbose);
        var level = verbose ? LogLevel.Debug : parseResult.GetValue(Quiet) ? LogLevel.Error : minimum;
        var json = (parseResult.GetValue(LogFormat) ?? Environment.GetEnvironmentVariable("INFRADIFF_LOG_FORMAT")) == "json";
        // The plain stderr logger needs no container: building one (LoggerFactory.Create) cost every command ~30 ms.
        using var loggers = json
            ? JsonLoggers(level, verbose)
            : new LoggerFactory([Plain(new StderrLogger(level, timestamps: minimum < LogLevel.Warning), verbose)], new LoggerFilterOptions { MinLevel = level });
        var log = loggers.CreateLogger("InfraDiff.Cli");
        try
        {
            return await body(loggers);
        }
        catch (OperationCanceledException)
        {
            CliLog.CommandFailed(log, "cancelled", null);
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            CliLog.CommandFailed(log, ex is InfraDiffException ? ex.Message : $"unexpected error: {ex.Message}", verbose ? ex : null);
            return ExitCodes.Error;
        }
    }

    private static ILoggerFactory JsonLoggers(LogLevel level, bool verbose) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        builder.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (!verbose)
        {
            var providers = builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
            foreach (var provider in providers)
            {
                builder.Services.Remove(provider);
                builder.Services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(services => new WithoutStackTraces(Create(provider, services))));
            }
        }
    });

    /// <summary>Without --verbose, each provider's loggers lose their exceptions: the message says what happened, --verbose shows where.</summary>
    private static ILoggerProvider Plain(ILoggerProvider provider, bool verbose) => verbose ? provider : new WithoutStackTraces(provider);

    private static ILoggerProvider Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>A snapshot's exit code: partial when any collector or part of one failed or timed out ("unavailable" alone is not partial).</summary>
    public static int ExitCodeOf(Snapshot snapshot) =>
        snapshot.Metadata.Collectors.Values.Any(r => r.Status is CollectorStatus.Failed or CollectorStatus.Timeout || r.Failed is { Count: > 0 }) ? ExitCodes.Partial : ExitCodes.Ok;

    /// <summary>Throws the one line every store command gives when the store directory is not there; <paramref name="alternative"/> names another way to run the command.</summary>
    public static void RequireStore(string directory, string? alternative = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new InfraDiffException($"{directory}: no such store (give --dir{(alternative is null ? " or set SNAPSHOT_DIR" : $", set SNAPSHOT_DIR, or {alternative}")})");
        }
    }
}
