using Microsoft.Extensions.Logging;

namespace InfraDiff.Pipeline;

/// <summary>The snapshotter's log messages, defined once.</summary>
internal static partial class SnapshotterLog
{
    [LoggerMessage(EventId = Snapshotter.CollectorFailedEventId, Level = LogLevel.Warning, Message = "collector {Collector} {Status}: {Reason}")]
    public static partial void CollectorFailed(ILogger logger, string collector, string status, string reason, Exception? exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "collector {Collector}: part {Part} failed: {Reason}")]
    public static partial void PartFailed(ILogger logger, string collector, string part, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "collector {Collector} unavailable: {Reason}")]
    public static partial void CollectorUnavailable(ILogger logger, string collector, string reason);
}
