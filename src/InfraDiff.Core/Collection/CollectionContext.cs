using System.Collections.Concurrent;
using InfraDiff.Execution;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Collection;

/// <summary>What a collector may use to read the host, and where it reports a part it could not collect.</summary>
public sealed class CollectionContext(IHostFileSystem files, ICommandRunner commands, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> unavailable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> failed = new(StringComparer.Ordinal);

    /// <summary>The host's files.</summary>
    public IHostFileSystem Files { get; } = files;

    /// <summary>Runs programs on the host.</summary>
    public ICommandRunner Commands { get; } = commands;

    /// <summary>Where a collector logs what an operator may want to know.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>Whether this is the live host ("/"), so runtime state (processes, kernel, running units) belongs to it.</summary>
    public bool IsLiveHost => Files.Root == "/";

    /// <summary>The parts reported unavailable so far (part → reason).</summary>
    public IReadOnlyDictionary<string, string> UnavailableParts => unavailable;

    /// <summary>The parts reported failed so far (part → reason).</summary>
    public IReadOnlyDictionary<string, string> FailedParts => failed;

    /// <summary>
    /// A file's text, or null when it is missing. A file this process may not read is an unavailable
    /// <paramref name="part"/>; one that is not a regular file (a FIFO planted to hang the scan) or is too large is
    /// a failed part, with the reason.
    /// </summary>
    /// <param name="hostPath">The file.</param>
    /// <param name="part">
    /// The part of the section the file feeds: a key under the section ("sysctls"), or a JSON Pointer below it
    /// ("accounts/alice/authorizedKeys"), so a diff knows which values not to compare.
    /// </param>
    public string? ReadTextOrReport(string hostPath, string part)
    {
        try
        {
            return Files.ReadTextOrNull(hostPath);
        }
        catch (UnauthorizedAccessException)
        {
            ReportUnavailable(part, $"{hostPath} is not readable (run as root)");
        }
        catch (HostFileException ex)
        {
            ReportFailed(part, ex.Message);
        }

        return null;
    }

    /// <summary>Records that one part of the section does not exist here, while the rest was collected.</summary>
    public void ReportUnavailable(string part, string reason) => unavailable[part] = reason;

    /// <summary>Records that one part of the section exists but could not be read, while the rest was collected: the snapshot is partial.</summary>
    public void ReportFailed(string part, string reason) => failed[part] = reason;
}
