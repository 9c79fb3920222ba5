using System.Formats.Tar;

namespace InfraDiff.Host;

/// <summary>
/// Unpacks a tar of a root file system (a container's export) into an empty folder of our own, keeping what a
/// snapshot records: type, permission bits with setuid, setgid and sticky, owner and group IDs, symlink targets,
/// hard links and device numbers. The archive is untrusted: no entry may leave the folder, by "..", by an absolute
/// name, or by a symlink unpacked earlier (a parent that is a symlink is refused, never followed).
/// </summary>
internal static class RootUnpacker
{
    private const UnixFileMode Permissions = (UnixFileMode)0xFFF;

    /// <summary>Unpacks <paramref name="tar"/> into <paramref name="root"/>, which must exist and be the caller's alone.</summary>
    /// <exception cref="InfraDiffException">An entry leaves the root, or an owner cannot be kept (not root).</exception>
    public static async Task UnpackAsync(Stream tar, string root, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (Relative(entry.Name) is not { } relative)
            {
                continue;
            }

            var path = Path.Join(root, relative);
            PrepareParents(root, relative, entry.Name);
            var isDirectory = entry.EntryType == TarEntryType.Directory;
            ClearPlace(path, keepDirectory: isDirectory);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                    await using (file.ConfigureAwait(false))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    File.CreateSymbolicLink(path, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    Link(root, entry, path);
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    var type = entry.EntryType switch { TarEntryType.CharacterDevice => 0x2000u, TarEntryType.BlockDevice => 0x6000u, _ => 0x1000u };
                    Check(LinuxFile.MakeNode(path, type | (uint)(entry.Mode & Permissions), (uint)((PosixTarEntry)entry).DeviceMajor, (uint)((PosixTarEntry)entry).DeviceMinor), "mknod", entry.Name);
                    break;
                default:
                    // Extended headers are read by TarReader itself; anything else names no file.
                    continue;
            }

            // A hard link shares its target's inode, owner and bits: setting them again would clear its setuid bit.
            if (entry.EntryType == TarEntryType.HardLink)
            {
                continue;
            }

            // The owner first: chown clears the setuid and setgid bits that chmod then sets.
            Check(LinuxFile.LChown(path, (uint)entry.Uid, (uint)entry.Gid), "chown", entry.Name);
            if (entry.EntryType != TarEntryType.SymbolicLink)
            {
                File.SetUnixFileMode(path, entry.Mode & Permissions);
            }
        }
    }

    /// <summary>The entry's name below the root ("etc/passwd"), null for the root itself; refused when it climbs out.</summary>
    internal static string? Relative(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw new InfraDiffException($"the image's archive has an entry that leaves its root: {Excerpt.Cut(HostTextLine(name))}");
        }

        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    /// <summary>Every folder above the entry exists as a real folder: made when missing, refused when a symlink or a file.</summary>
    private static void PrepareParents(string root, string relative, string name)
    {
        var parts = relative.Split('/');
        var path = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path = Path.Join(path, parts[i]);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null || (!info.Exists && File.Exists(path)))
            {
                throw new InfraDiffException($"the image's archive has an entry below a symlink or a file: {Excerpt.Cut(HostTextLine(name))}");
            }

            if (!info.Exists)
            {
                Directory.CreateDirectory(path);
            }
        }
    }

    /// <summary>A later entry replaces an earlier one of the same name (a folder stays a folder when the entry is one too).</summary>
    private static void ClearPlace(string path, bool keepDirectory)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path) && !keepDirectory)
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static void Link(string root, TarEntry entry, string path)
    {
        var target = Relative(entry.LinkName) ?? throw new InfraDiffException($"the image's archive links {Excerpt.Cut(HostTextLine(entry.Name))} to its root");
        PrepareParents(root, target, entry.LinkName);
        var existing = Path.Join(root, target);
        if (!LinuxFile.TryLStat(existing, out _, out _))
        {
            throw new InfraDiffException($"the image's archive hard-links to a missing file: {Excerpt.Cut(HostTextLine(entry.LinkName))}");
        }

        Check(LinuxFile.Link(existing, path), "link", entry.Name);
    }

    private static void Check(int errno, string call, string name)
    {
        if (errno == LinuxFile.EPERM)
        {
            throw new InfraDiffException($"unpacking an image keeps its files' owners and devices, which needs root ({call} {Excerpt.Cut(HostTextLine(name))}: operation not permitted)");
        }

        if (errno != 0)
        {
            throw new IOException($"{call} {HostTextLine(name)} failed with errno {errno}");
        }
    }

    private static string HostTextLine(string text) => HostText.Clean(text);
}
