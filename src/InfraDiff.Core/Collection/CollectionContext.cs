using System.Collections.Concurrent;
using InfraDiff.Execution;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Collection;

/// <summary>What a collector may use to read the host, and where it reports a part it could not collect.</summary>
public sealed class CollectionContext(IHostFileSystem files, ICommandRunner commands, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> unavailable = new(StringComparer.Ordinal);

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

    /// <summary>A file's text, or null when it is missing; a file this process may not read is reported as an unavailable <paramref name="part"/>.</summary>
    public string? ReadTextOrReport(string hostPath, string part)
    {
        try
        {
            return Files.ReadTextOrNull(hostPath);
        }
        catch (UnauthorizedAccessException)
        {
            ReportUnavailable(part, $"{hostPath} is not readable (run as root)");
            return null;
        }
    }

    /// <summary>Records that one part of the section could not be collected, while the rest was.</summary>
    public void ReportUnavailable(string part, string reason) => unavailable[part] = reason;
}
