using Microsoft.Extensions.Logging;

namespace InfraDiff.Alerting;

/// <summary>The alert sinks' log messages, defined once.</summary>
internal static partial class AlertLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Sink}: attempt {Attempt} failed ({Problem}); retrying in {Delay:0.0} s")]
    public static partial void Retrying(ILogger logger, string sink, int attempt, string problem, double delay);
}
