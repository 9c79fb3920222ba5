using System.Collections.Concurrent;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Sections;

/// <summary>What a collector may use to read the host, and where it reports a part it could not collect.</summary>
/// <param name="files">The host's files.</param>
/// <param name="commands">Runs programs.</param>
/// <param name="logger">Where the collector logs.</param>
/// <param name="liveKernel">The files are under a root, yet this process sees the host's kernel, PIDs and network (see <see cref="SnapshotOptions.LiveKernel"/>).</param>
public sealed class CollectionContext(IHostFileSystem files, ICommandRunner commands, ILogger logger, bool liveKernel = false)
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

    /// <summary>
    /// Where the running kernel is read (/proc, /sys), and whether commands see the host's network: the live host, or
    /// this process's own /proc when the root is the host's file system mounted into a container that shares the host's
    /// PID and network namespaces; null when the kernel is not the host's (an image, a mounted disk).
    /// </summary>
    public IHostFileSystem? Kernel { get; } = files.Root == "/" ? files : liveKernel ? RootedFileSystem.Live : null;

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
