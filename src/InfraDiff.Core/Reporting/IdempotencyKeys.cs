using System.Security.Cryptography;
using System.Text;

namespace InfraDiff.Reporting;

/// <summary>
/// Keys a receiver uses to drop a duplicate delivery: the same input always gives the same key, so every re-send of one
/// alert carries the same <see cref="DriftAlert.IdempotencyKey"/>. 32 lower-case hex digits (the first 128 bits of SHA-256).
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The key of an identity string (what makes two alerts the same alert, e.g. "host|baseline digest|drift digest").</summary>
    public static string From(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return From(Encoding.UTF8.GetBytes(identity));
    }

    /// <summary>The key of some content (a report's bytes).</summary>
    public static string From(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content))[..32];
}
