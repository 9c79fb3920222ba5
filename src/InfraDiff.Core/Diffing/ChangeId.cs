using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>
/// A change's name a person can type: ten hex digits of a SHA-256 over its kind, path, and old and new values in
/// canonical form. The same change on two runs, or on two hosts, has the same id; another new value has another.
/// </summary>
/// <remarks>
/// The host is left out on purpose: an acceptance is kept by one store or one baseline, which is one host's, so an id
/// never crosses hosts by accident, and a fleet's shared change is one id on every host that has it.
/// </remarks>
public static class ChangeId
{
    /// <summary>How many hex digits an id has.</summary>
    public const int Length = 10;

    /// <summary>The id of a change of <paramref name="kind"/> at <paramref name="path"/> from <paramref name="oldValue"/> to <paramref name="newValue"/> (undefined where there is none).</summary>
    public static string Of(ChangeKind kind, string path, JsonElement oldValue, JsonElement newValue)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{EnumNames.Of(kind)}\n{path}\n"));
        Append(hash, oldValue);
        hash.AppendData("\n"u8);
        Append(hash, newValue);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..Length];
    }

    /// <summary>Whether <paramref name="text"/> has an id's shape (ten hex digits, any case).</summary>
    public static bool IsWellFormed(string text) => text.Length == Length && text.All(char.IsAsciiHexDigit);

    private static void Append(IncrementalHash hash, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Undefined)
        {
            hash.AppendData(SnapshotJson.ToCanonicalBytes(value, indented: false));
        }
    }
}
