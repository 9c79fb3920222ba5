using Microsoft.Extensions.Logging;

namespace InfraDiff.Monitoring;

/// <summary>The monitor's log messages, defined once.</summary>
internal static partial class DriftMonitorLog
{
    /// <summary>One line per cycle: what an operator watching the log wants to see each time.</summary>
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "cycle done in {Seconds:0.0} s: {Outcome} ({Critical} critical, {High} high, {Medium} medium, {Low} low); {Alert}; {Pending} alerts waiting, {Dead} set aside")]
    public static partial void Cycle(ILogger logger, double seconds, string outcome, int critical, int high, int medium, int low, string alert, int pending, int dead);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "cycle failed: {Reason}; the next one runs in {Interval}")]
    public static partial void CycleFailed(ILogger logger, string reason, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "{Sink}: {Reason}; the alert is set aside in {Dead} (requeued by SnapshotStore.RequeueDeadAlertsAsync: 'infradiff alert --retry-dead')")]
    public static partial void AlertRefused(ILogger logger, string sink, string reason, string dead);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Sink}: {Reason}; the alert stays in the outbox")]
    public static partial void AlertFailed(ILogger logger, string sink, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "store: {File}: {Reason}; the watcher goes on")]
    public static partial void StoreFileQuarantined(ILogger logger, string file, string reason);
}
