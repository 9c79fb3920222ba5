using System.Security.Cryptography;
using InfraDiff.Host;

namespace InfraDiff.Monitoring;

/// <summary>
/// The key that authenticates a store's journal: 32 random bytes kept outside the store. From INFRADIFF_STORE_KEY
/// (64 hex digits), else from the file descriptor INFRADIFF_STORE_KEY_FD names (a secrets manager can pass it so),
/// else from a file created 0600 on first use.
/// </summary>
public sealed class StoreKey
{
    private StoreKey(byte[] bytes, string source)
    {
        Bytes = bytes;
        Source = source;
    }

    /// <summary>Where the key came from (for messages; never the key).</summary>
    public string Source { get; }

    internal byte[] Bytes { get; }

    /// <summary>The default key file: store.key in infradiff's cache folder, outside any store.</summary>
    public static string DefaultPath => Path.Join(CacheDirectory.Default(), "store.key");

    /// <summary>Loads the key, creating the file when neither the environment nor a file gives one.</summary>
    /// <exception cref="InfraDiffException">The key given is malformed.</exception>
    public static StoreKey Load(string? path = null)
    {
        if (Environment.GetEnvironmentVariable("INFRADIFF_STORE_KEY") is { Length: > 0 } hex)
        {
            return new StoreKey(Parse(hex, "INFRADIFF_STORE_KEY"), "INFRADIFF_STORE_KEY");
        }

        if (Environment.GetEnvironmentVariable("INFRADIFF_STORE_KEY_FD") is { Length: > 0 } fd)
        {
            var text = File.ReadAllText($"/proc/self/fd/{fd}").Trim();
            return new StoreKey(Parse(text, "INFRADIFF_STORE_KEY_FD"), $"file descriptor {fd}");
        }

        path ??= DefaultPath;
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 32 ? new StoreKey(bytes, path) : throw new InfraDiffException($"{path}: not a store key (32 bytes expected, {bytes.Length} found)");
        }

        return new StoreKey(KeyFile.LoadOrCreate(path), path);
    }

    /// <summary>A key from its bytes (tests, and hosts that hold the key elsewhere).</summary>
    public static StoreKey FromBytes(byte[] bytes) => bytes is { Length: 32 } ? new StoreKey(bytes, "bytes") : throw new ArgumentException("a store key is 32 bytes", nameof(bytes));

    internal byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(Bytes, data);

    private static byte[] Parse(string hex, string name)
    {
        try
        {
            var bytes = Convert.FromHexString(hex.Trim());
            return bytes.Length == 32 ? bytes : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new InfraDiffException($"{name} must be 64 hex digits (32 bytes)");
        }
    }
}
