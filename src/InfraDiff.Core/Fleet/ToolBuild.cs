using System.Security.Cryptography;

namespace InfraDiff.Fleet;

/// <summary>One self-contained build of the tool the controller copies to hosts of one runtime, with its SHA-256 and size.</summary>
internal sealed record ToolBuild(string RuntimeIdentifier, string Path, string Sha256, long Length)
{
    /// <summary>Every runtime a build can be for.</summary>
    public static readonly IReadOnlySet<string> Runtimes = new HashSet<string>(StringComparer.Ordinal) { "linux-x64", "linux-arm64", "linux-musl-x64", "linux-musl-arm64" };

    /// <summary>The runtime identifier a host's <c>uname -m</c> and C library call for, or null when no build exists for that machine.</summary>
    public static string? RuntimeFor(string machine, bool musl) => machine switch
    {
        "x86_64" or "amd64" => musl ? "linux-musl-x64" : "linux-x64",
        "aarch64" or "arm64" => musl ? "linux-musl-arm64" : "linux-arm64",
        _ => null,
    };

    /// <summary>The <c>uname -m</c> values a runtime identifier runs on, as a shell case pattern.</summary>
    public static string MachinesOf(string runtimeIdentifier) => runtimeIdentifier.EndsWith("arm64", StringComparison.Ordinal) ? "aarch64|arm64" : "x86_64|amd64";

    /// <summary>The build for <paramref name="runtimeIdentifier"/>: infradiff-RID in the tool directory, or null when there is none.</summary>
    public static async Task<ToolBuild?> FindAsync(string directory, string runtimeIdentifier, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Join(directory, $"infradiff-{runtimeIdentifier}");
        if (!File.Exists(path))
        {
            return null;
        }

        // Large reads: with FileStream's default 4 KB buffer, hashing 120 MB took about three times as long.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return new ToolBuild(runtimeIdentifier, path, Convert.ToHexStringLower(hash), stream.Length);
        }
    }
}
