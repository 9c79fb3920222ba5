using InfraDiff.Collection;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Rendering;

/// <summary>Logs to stderr, one line a message, so stdout stays data only; a stack trace only at debug level (--verbose); UTC timestamps for long-running commands.</summary>
internal sealed class StderrLogger(LogLevel minimum, bool timestamps = false) : ILogger
{
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
            LogLevel.Warning => "warning",
            LogLevel.Error or LogLevel.Critical => "error",
            _ => "info",
        };
        var advice = eventId.Id == SnapshotterLog.CollectorFailedEventId ? CollectorAdvice(state) : "";
        var time = timestamps ? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z' ", System.Globalization.CultureInfo.InvariantCulture) : "";
        Console.Error.WriteLine($"{time}infradiff: {level}: {formatter(state, exception)}{advice}");
        if (exception is not null && minimum <= LogLevel.Debug)
        {
            Console.Error.WriteLine(exception);
        }
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

/// <summary>The same logger where Core asks for an <see cref="ILogger{TCategoryName}"/>.</summary>
internal sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
