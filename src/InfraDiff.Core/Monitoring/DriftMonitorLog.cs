using Microsoft.Extensions.Logging;

namespace InfraDiff.Monitoring;

/// <summary>The monitor's log messages, defined once.</summary>
internal static partial class DriftMonitorLog
{
    /// <summary>One line per cycle: what an operator watching the log wants to see each time.</summary>
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "cycle done in {Seconds:0.0} s: {Outcome} ({Critical} critical, {High} high, {Medium} medium, {Low} low); {Alert}; {Pending} alerts waiting, {Dead} set aside")]
    public static partial void Cycle(ILogger logger, double seconds, string outcome, int critical, int high, int medium, int low, string alert, int pending, int dead);
}
