using InfraDiff.Pipeline;
using Microsoft.Extensions.Logging;

namespace InfraDiff;

/// <summary>
/// Every log message Core writes, defined once, by event id: 1001–1099 the snapshotter, 1101–1199 the files collector,
/// 2001–2099 the watch loop, 2101–2199 the alert sinks, 1201–1299 the fleet runner. (One class: the logging generator then writes one file whose
/// order does not depend on where the sources were checked out, which keeps the build reproducible.)
/// </summary>
internal static partial class InfraDiffLog
{
    [LoggerMessage(EventId = Snapshotter.CollectorFailedEventId, Level = LogLevel.Warning, Message = "collector {Collector} {Status}: {Reason}")]
    public static partial void CollectorFailed(ILogger logger, string collector, string status, string reason, Exception? exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "collector {Collector} unavailable: {Reason}")]
    public static partial void CollectorUnavailable(ILogger logger, string collector, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "collector {Collector}: part {Part} failed: {Reason}")]
    public static partial void PartFailed(ILogger logger, string collector, string part, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "discarding the file hash cache {Path}: {Reason}; every file will be hashed")]
    public static partial void CacheDiscarded(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "files: the cache {Path} could not be written ({Reason}); the next scan does its work again")]
    public static partial void CacheNotWritten(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "files: {Entries} entries, {Hashed} files hashed, {Reused} hashes reused from the cache")]
    public static partial void Scanned(ILogger logger, int entries, long hashed, long reused);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "files: {Count} files owned by {Source} packages")]
    public static partial void PackageFiles(ILogger logger, int count, string source);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "files: {Reason}")]
    public static partial void RootUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "discarding the package index cache {Path}: {Reason}; the package database is read again")]
    public static partial void PackageCacheDiscarded(ILogger logger, string path, string reason);

    /// <summary>One line per cycle: what an operator watching the log wants to see each time.</summary>
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Kind} cycle done in {Seconds:0.000} s: {Outcome} ({Critical} critical, {High} high, {Medium} medium, {Low} low); {Alert}; {Pending} alerts waiting, {Dead} set aside")]
    public static partial void Cycle(ILogger logger, string kind, double seconds, string outcome, int critical, int high, int medium, int low, string alert, int pending, int dead);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "{Reason}")]
    public static partial void RealtimeUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "real-time watching: {What}")]
    public static partial void Realtime(ILogger logger, string what);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "cycle failed: {Reason}; the next one runs in {Interval}")]
    public static partial void CycleFailed(ILogger logger, string reason, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "cycle failed: {Reason}; a full cycle runs at the next change seen, or in {Wait}")]
    public static partial void RealtimeCycleFailed(ILogger logger, string reason, string wait, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "{Sink}: {Reason}; the alert is set aside in {Dead} (requeued by SnapshotStore.RequeueDeadAlertsAsync: 'infradiff alert --retry-dead')")]
    public static partial void AlertRefused(ILogger logger, string sink, string reason, string dead);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Sink}: {Reason}; the alert stays in the outbox")]
    public static partial void AlertFailed(ILogger logger, string sink, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "store: {File}: {Reason}; the watcher goes on")]
    public static partial void StoreFileQuarantined(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Sink}: attempt {Attempt} failed ({Problem}); retrying in {Delay:0.0} s")]
    public static partial void Retrying(ILogger logger, string sink, int attempt, string problem, double delay);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "fleet: {Host}: {Reason}")]
    public static partial void FleetHostFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "fleet: {Host}: copied the tool ({Runtime}, {Bytes} bytes, SHA-256 {Sha256})")]
    public static partial void FleetToolCopied(ILogger logger, string host, string runtime, long bytes, string sha256);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "fleet: {Host}: snapshot of {Bytes} bytes in {Seconds:0.0} s")]
    public static partial void FleetHostDone(ILogger logger, string host, long bytes, double seconds);
}
