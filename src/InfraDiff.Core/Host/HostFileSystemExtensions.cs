using System.Buffers;
using System.Text;

namespace InfraDiff.Host;

/// <summary>Reading helpers every collector uses; all take absolute host paths and read through <see cref="IHostFileSystem.OpenFile"/>.</summary>
public static class HostFileSystemExtensions
{
    /// <summary>The most a text file may hold: a dpkg status file of a large host is a few megabytes.</summary>
    public const int MaxTextBytes = 64 << 20;

    /// <summary>The file's text, or null when it does not exist.</summary>
    /// <exception cref="HostFileException">It is not a regular file, or larger than <see cref="MaxTextBytes"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string? ReadTextOrNull(this IHostFileSystem fileSystem, string hostPath) => ReadTextOrNull(fileSystem, hostPath, MaxTextBytes);

    /// <summary>The file's text, or null when it does not exist.</summary>
    /// <exception cref="HostFileException">It is not a regular file, or larger than <paramref name="maxBytes"/> (at most <see cref="MaxTextBytes"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string? ReadTextOrNull(this IHostFileSystem fileSystem, string hostPath, int maxBytes)
    {
        maxBytes = Math.Clamp(maxBytes, 0, MaxTextBytes);
        ArgumentNullException.ThrowIfNull(fileSystem);
        using var handle = fileSystem.OpenFile(hostPath);
        if (handle is null)
        {
            return null;
        }

        // Sized from fstat, but read to the end rather than trusting it: /proc files say 0 and still hold text. The
        // buffer is pooled: a dpkg database is thousands of small files read one after another.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(RandomAccess.GetLength(handle) + 1, Math.Min(4096, maxBytes + 1), maxBytes + 1));
        try
        {
            var total = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new HostFileException($"{hostPath} is larger than {(maxBytes >= 1 << 20 ? $"{maxBytes >> 20} MiB" : $"{maxBytes:N0} bytes")}: not read");
                }

                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The host's name: the running kernel's on the live host, else /etc/hostname under the root (at most 4,096
    /// bytes read: a name is at most 64); null when neither says.
    /// </summary>
    /// <exception cref="HostFileException">/etc/hostname is not a regular file, or too large.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string? ReadHostName(this IHostFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var name = (fileSystem.Root == "/" ? fileSystem.ReadTextOrNull("/proc/sys/kernel/hostname", 4096) : null) ?? fileSystem.ReadTextOrNull("/etc/hostname", 4096);
        return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
    }

    /// <summary>Whether a regular file exists at the path (resolved inside the root).</summary>
    public static bool FileExists(this IHostFileSystem fileSystem, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        try
        {
            using var handle = fileSystem.OpenFile(hostPath);
            return handle is not null;
        }
        catch (HostFileException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // It exists; whether it can be read is the reader's concern.
            return true;
        }
    }

    /// <summary>Whether a directory exists at the path (resolved inside the root).</summary>
    public static bool DirectoryExists(this IHostFileSystem fileSystem, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return fileSystem.ResolveDirectory(hostPath) is not null;
    }

    /// <summary>The host paths of the entries other than directories directly in a directory, sorted ordinally; empty when it does not exist.</summary>
    public static IReadOnlyList<string> ListFiles(this IHostFileSystem fileSystem, string hostDirectory) =>
        List(fileSystem, hostDirectory, directories: false);

    /// <summary>The host paths of the subdirectories of a directory, sorted ordinally; empty when it does not exist.</summary>
    public static IReadOnlyList<string> ListDirectories(this IHostFileSystem fileSystem, string hostDirectory) =>
        List(fileSystem, hostDirectory, directories: true);

    /// <summary>A directory's entries read as bytes (<see cref="HostPath"/>): a name that is not UTF-8 is listed like any other.</summary>
    private static string[] List(IHostFileSystem fileSystem, string hostDirectory, bool directories)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (fileSystem.ResolveDirectory(hostDirectory) is not { } real)
        {
            return [];
        }

        var names = LinuxFile.ListDirectory(real).Where(e => e.IsDirectory == directories).Select(e => e.Name).ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var prefix = hostDirectory.EndsWith('/') ? hostDirectory : hostDirectory + "/";
        return names.Select(n => prefix + n).ToArray();
    }
}
