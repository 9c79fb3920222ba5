using System.Security.Cryptography;
using System.Text;
using InfraDiff.Host;

namespace InfraDiff.Sections.Docker;

/// <summary>
/// Replaces each environment value with a keyed fingerprint: HMAC-SHA256 under a random per-installation key
/// kept 0600 beside the cache. A changed value shows as a changed fingerprint, while the value itself, or a
/// guess at it, cannot be checked by anyone without the key.
/// </summary>
internal sealed class EnvironmentFingerprinter(byte[] key)
{
    private const string KeyFileName = "docker-env.key";

    /// <summary>Loads the installation's key, creating it (32 random bytes, 0600) on first use.</summary>
    public static Task<EnvironmentFingerprinter> LoadAsync(string directory, CancellationToken cancellationToken) =>
        Task.FromResult(new EnvironmentFingerprinter(KeyFile.LoadOrCreate(Path.Join(directory, KeyFileName))));

    /// <summary>NAME=value entries as NAME → "hmac-sha256:…"; the container and variable names are part of the MAC, so equal secrets in two places do not look alike.</summary>
    public SortedDictionary<string, string?> Fingerprint(string container, IEnumerable<string> environment)
    {
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in environment)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? entry : entry[..equals];
            result[name] = equals < 0 ? null : "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{container}\0{name}\0{entry[(equals + 1)..]}")))[..32];
        }

        return result;
    }
}
