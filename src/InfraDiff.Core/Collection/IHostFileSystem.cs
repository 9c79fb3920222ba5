namespace InfraDiff.Collection;

/// <summary>
/// The host's files as collectors see them: absolute host paths ("/etc/passwd") resolved under a root,
/// so the same collector reads the live system, a mounted image, or a test fixture tree.
/// </summary>
public interface IHostFileSystem
{
    /// <summary>The directory that stands for "/" ("/" on the live host).</summary>
    string Root { get; }

    /// <summary>Maps an absolute host path to the real path on this machine.</summary>
    string MapPath(string hostPath);
}

/// <summary>A host file system rooted at a directory of this machine.</summary>
public sealed class RootedFileSystem : IHostFileSystem
{
    /// <summary>Views the live host ("/").</summary>
    public static RootedFileSystem Live { get; } = new("/");

    /// <summary>Views <paramref name="root"/> as the host's "/".</summary>
    public RootedFileSystem(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <inheritdoc />
    public string MapPath(string hostPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        if (!hostPath.StartsWith('/'))
        {
            throw new ArgumentException($"'{hostPath}' is not an absolute host path", nameof(hostPath));
        }

        return Root == "/" ? hostPath : Path.Join(Root, hostPath);
    }
}

/// <summary>Reading helpers every collector uses; all take absolute host paths.</summary>
public static class HostFileSystemExtensions
{
    /// <summary>The file's text, or null when it does not exist.</summary>
    public static string? ReadTextOrNull(this IHostFileSystem fileSystem, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        try
        {
            return File.ReadAllText(fileSystem.MapPath(hostPath));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The host's name: the running kernel's on the live host, else /etc/hostname under the root; null when neither says.</summary>
    public static string? ReadHostName(this IHostFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var name = (fileSystem.Root == "/" ? fileSystem.ReadTextOrNull("/proc/sys/kernel/hostname") : null) ?? fileSystem.ReadTextOrNull("/etc/hostname");
        return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
    }

    /// <summary>Whether a regular file (or a link to one) exists at the path.</summary>
    public static bool FileExists(this IHostFileSystem fileSystem, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return File.Exists(fileSystem.MapPath(hostPath));
    }

    /// <summary>Whether a directory exists at the path.</summary>
    public static bool DirectoryExists(this IHostFileSystem fileSystem, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return Directory.Exists(fileSystem.MapPath(hostPath));
    }

    /// <summary>The host paths of the regular files directly in a directory, sorted ordinally; empty when it does not exist.</summary>
    public static IReadOnlyList<string> ListFiles(this IHostFileSystem fileSystem, string hostDirectory) =>
        List(fileSystem, hostDirectory, Directory.EnumerateFiles);

    /// <summary>The host paths of the subdirectories of a directory, sorted ordinally; empty when it does not exist.</summary>
    public static IReadOnlyList<string> ListDirectories(this IHostFileSystem fileSystem, string hostDirectory) =>
        List(fileSystem, hostDirectory, Directory.EnumerateDirectories);

    private static string[] List(IHostFileSystem fileSystem, string hostDirectory, Func<string, IEnumerable<string>> enumerate)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var real = fileSystem.MapPath(hostDirectory);
        if (!Directory.Exists(real))
        {
            return [];
        }

        var names = enumerate(real).Select(Path.GetFileName).OfType<string>().ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var prefix = hostDirectory.EndsWith('/') ? hostDirectory : hostDirectory + "/";
        return names.Select(n => prefix + n).ToArray();
    }
}
