using Microsoft.Extensions.Logging;

namespace InfraDiff.Collectors.Files;

/// <summary>The files collector's log messages, defined once.</summary>
internal static partial class FilesLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "discarding the file hash cache {Path}: {Reason}; every file will be hashed")]
    public static partial void CacheDiscarded(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "files: the hash cache {Path} could not be written ({Reason}); the next scan hashes everything again")]
    public static partial void CacheNotWritten(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "files: {Entries} entries, {Hashed} files hashed, {Reused} hashes reused from the cache")]
    public static partial void Scanned(ILogger logger, int entries, long hashed, long reused);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "files: {Count} files owned by {Source} packages")]
    public static partial void PackageFiles(ILogger logger, int count, string source);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "files: {Reason}")]
    public static partial void RootUnreadable(ILogger logger, string reason);
}
