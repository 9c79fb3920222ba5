using InfraDiff.Pipeline;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Rendering;

/// <summary>
/// The text log: one line a message on stderr, so stdout stays data only; a stack trace only at debug level
/// (--verbose); UTC timestamps for long-running commands. Synchronous, so its lines keep their order with what
/// the commands print themselves.
/// </summary>
internal sealed class StderrLogger(LogLevel minimum, bool timestamps) : ILogger, ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "info: ",
        };

        // A command's own failure is its last line and reads "infradiff: <why>", as it always has.
        var commandFailed = eventId.Id == CliLog.CommandFailedEventId;
        level = commandFailed ? "" : level;
        var advice = eventId.Id == Snapshotter.CollectorFailedEventId ? CollectorAdvice(state) : "";
        var time = timestamps && !commandFailed ? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z' ", System.Globalization.CultureInfo.InvariantCulture) : "";
        // A message may quote the host (a file name, a link's target): one line, no escape sequence of the host's.
        Console.Error.WriteLine($"{time}infradiff: {level}{HostText.Visible(formatter(state, exception))}{advice}");
        if (exception is not null && (minimum <= LogLevel.Debug || commandFailed))
        {
            Console.Error.WriteLine(exception);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>The flag that changes what happened to a collector, in the CLI's vocabulary.</summary>
    private static string CollectorAdvice<TState>(TState state)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        var collector = values.FirstOrDefault(v => v.Key == "Collector").Value as string;
        var status = values.FirstOrDefault(v => v.Key == "Status").Value as string;
        return (collector, status) switch
        {
            ("files", "timed out") => " (raise or remove the limit with --files-timeout)",
            (_, "timed out") => " (raise the limit with --collector-timeout)",
            _ => $" (--verbose shows why; --exclude {collector} leaves it out)",
        };
    }
}

/// <summary>Without --verbose, a logger that passes each message on without its exception (whose message the text carries already): no stack trace.</summary>
internal sealed class WithoutStackTraces(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, null, formatter);
    }
}

/// <summary>The CLI's own log messages, defined once.</summary>
internal static partial class CliLog
{
    public const int CommandFailedEventId = 3002;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "watching: every {Interval}, store {Dir}, alerts to {Sinks}")]
    public static partial void Watching(ILogger logger, TimeSpan interval, string dir, string sinks);

    [LoggerMessage(EventId = CommandFailedEventId, Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void CommandFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "fleet: {Summary}")]
    public static partial void FleetCycle(ILogger logger, string summary);
}
