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
    /// <exception cref="InfraDiffException">The key given is malformed, or the file is not a key.</exception>
    public static StoreKey Load(string? path = null) => Read(path, create: true);

    /// <summary>Loads the key as <see cref="Load(string?)"/> does, but never creates one: a store is only checked with the key it was written with.</summary>
    /// <exception cref="InfraDiffException">There is no key, or it is malformed.</exception>
    public static StoreKey LoadExisting(string? path = null) => Read(path, create: false);

    private static StoreKey Read(string? path, bool create)
    {
        if (Environment.GetEnvironmentVariable("INFRADIFF_STORE_KEY") is { Length: > 0 } hex)
        {
            return new StoreKey(Parse(hex, "INFRADIFF_STORE_KEY"), "INFRADIFF_STORE_KEY");
        }

        if (Environment.GetEnvironmentVariable("INFRADIFF_STORE_KEY_FD") is { Length: > 0 } fd)
        {
            return new StoreKey(Parse(ReadDescriptor(fd), "INFRADIFF_STORE_KEY_FD"), $"file descriptor {fd}");
        }

        path ??= DefaultPath;
        if (create)
        {
            return new StoreKey(KeyFile.LoadOrCreate(path), path);
        }

        return KeyFile.Read(path) is { } bytes
            ? new StoreKey(bytes, path)
            : throw new InfraDiffException($"{path}: no store key (give the key the store was written with: --key-file, INFRADIFF_STORE_KEY or INFRADIFF_STORE_KEY_FD)");
    }

    /// <summary>
    /// At most 256 bytes from an inherited descriptor (a pipe a secrets manager writes the hex key to), to its end, for
    /// at most 10 seconds: a writer that never closes it is an error, not a hang.
    /// </summary>
    private static string ReadDescriptor(string fd)
    {
        if (!int.TryParse(fd, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw new InfraDiffException($"INFRADIFF_STORE_KEY_FD must be a file descriptor number, not '{fd}'");
        }

        using var handle = LinuxFile.Open($"/proc/self/fd/{number}", LinuxFile.ReadOnly | LinuxFile.NonBlock | LinuxFile.CloseOnExec, out var errno)
            ?? throw new InfraDiffException($"INFRADIFF_STORE_KEY_FD: descriptor {number} cannot be read (errno {errno})");
        var buffer = new byte[257];
        var filled = 0;
        var deadline = Environment.TickCount64 + 10_000;
        while (filled < buffer.Length)
        {
            var n = LinuxFile.Read(handle, buffer.AsSpan(filled));
            if (n == 0)
            {
                break;
            }

            if (n == -LinuxFile.EAGAIN && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
                continue;
            }

            if (n < 0)
            {
                throw new InfraDiffException($"INFRADIFF_STORE_KEY_FD: descriptor {number} gave no key within 10 s (errno {-n})");
            }

            filled += n;
        }

        return filled < buffer.Length ? System.Text.Encoding.ASCII.GetString(buffer, 0, filled) : throw new InfraDiffException("INFRADIFF_STORE_KEY_FD must give 64 hex digits, not more than 256 bytes");
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
