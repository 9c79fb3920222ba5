using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using InfraDiff.Host;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>One event as fanotify reported it, resolved to a path.</summary>
/// <param name="Path">The path written, created, deleted or moved (a directory's own attributes: the directory).</param>
/// <param name="Mask">The event's mask (<see cref="Fanotify"/>'s constants).</param>
/// <param name="Pid">The process that caused it, as the kernel reported it.</param>
/// <param name="Pidfd">A pidfd for that process, or -1 (the kernel gives none, or the process is gone); the reader closes it.</param>
internal readonly record struct FanotifyEvent(string Path, ulong Mask, int Pid, int Pidfd);

/// <summary>
/// A fanotify group with filesystem marks (FAN_MARK_FILESYSTEM): every create, write, attribute change, move and
/// delete on a whole filesystem, reported with the parent directory's file handle and the entry's name
/// (FAN_REPORT_DFID_NAME) and the writer's pidfd (FAN_REPORT_PIDFD), without a watch per directory. Needs
/// CAP_SYS_ADMIN (the group) and CAP_DAC_READ_SEARCH (turning handles into paths).
/// </summary>
internal sealed partial class Fanotify : IDisposable
{
    public const ulong Modify = 0x2, Attrib = 0x4, CloseWrite = 0x8, MovedFrom = 0x40, MovedTo = 0x80, Create = 0x100, Delete = 0x200;
    public const ulong Overflow = 0x4000, OnDirectory = 0x4000_0000;

    /// <summary>What is watched: every change to an entry's content, attributes or name, on files and directories.</summary>
    public const ulong Watched = Modify | Attrib | CloseWrite | MovedFrom | MovedTo | Create | Delete | OnDirectory;

    private const uint CloseOnExec = 0x1, NonBlocking = 0x2, ReportPidfd = 0x80, ReportDirFid = 0x400, ReportName = 0x800;
    private const uint MarkAdd = 0x1, MarkFilesystem = 0x100;
    private const byte InfoDfidName = 2, InfoDfid = 3, InfoPidfd = 4;
    private const int OpenReadOnly = 0, OpenDirectory = 0x10000, OpenPath = 0x200000, OpenCloseOnExec = 0x80000;
    private const int EINVAL = 22, EAGAIN = 11, EINTR = 4, ESTALE = 116;

    /// <summary>What a handle resolves to when its directory was deleted and its inode freed before the event was read.</summary>
    private const string Gone = "";

    private readonly int group;
    private readonly int[] wake = new int[2];

    /// <summary>The open directory of each marked filesystem by its fsid: what a file handle is opened against.</summary>
    private readonly Dictionary<long, int> mounts = [];

    private unsafe Fanotify(int group, bool pidfds)
    {
        this.group = group;
        HasPidfds = pidfds;
        fixed (int* ends = wake)
        {
            if (Native.pipe2(ends, OpenCloseOnExec | 0x800) != 0)
            {
                throw new IOException($"pipe2: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }

    /// <summary>Whether events carry a pidfd (Linux 5.15 and later): without one, who made a change cannot be read safely.</summary>
    public bool HasPidfds { get; }

    /// <summary>Opens a group, or says why this process cannot ("fanotify_init: Operation not permitted").</summary>
    public static Fanotify? TryOpen(out string? problem)
    {
        const uint Flags = CloseOnExec | NonBlocking | ReportDirFid | ReportName;
        var fd = Native.fanotify_init(Flags | ReportPidfd, OpenReadOnly | OpenCloseOnExec);
        var pidfds = true;
        if (fd < 0 && Marshal.GetLastPInvokeError() == EINVAL)
        {
            // A kernel before 5.15 knows no FAN_REPORT_PIDFD: changes are still seen, their writer is not read.
            fd = Native.fanotify_init(Flags, OpenReadOnly | OpenCloseOnExec);
            pidfds = false;
        }

        if (fd < 0)
        {
            problem = $"fanotify_init: {Marshal.GetLastPInvokeErrorMessage()}";
            return null;
        }

        problem = null;
        return new Fanotify(fd, pidfds);
    }

    /// <summary>Marks the whole filesystem that holds <paramref name="path"/> (once per filesystem).</summary>
    /// <exception cref="IOException">The kernel refused the mark; the message says why.</exception>
    public void MarkFilesystemOf(string path)
    {
        var directory = Native.open(path, OpenReadOnly | OpenDirectory | OpenCloseOnExec);
        if (directory < 0)
        {
            throw new IOException($"{path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var fsid = FsidOf(directory);
        if (mounts.ContainsKey(fsid))
        {
            Native.close(directory);
            return;
        }

        if (Native.fanotify_mark(group, MarkAdd | MarkFilesystem, Watched, -100, path) != 0)
        {
            var message = Marshal.GetLastPInvokeErrorMessage();
            Native.close(directory);
            throw new IOException($"fanotify_mark {path}: {message}");
        }

        mounts[fsid] = directory;
    }

    /// <summary>
    /// Waits for events and reads them, until <see cref="Stop"/>; each is given to <paramref name="received"/>, an
    /// overflow of the kernel's queue or an event whose path cannot be found to <paramref name="lost"/>. Runs on the
    /// caller's thread; costs nothing while nothing happens (poll without a timeout).
    /// </summary>
    public unsafe void Read(Action<FanotifyEvent> received, Action<string> lost)
    {
        var buffer = new byte[64 << 10];

        // A directory's path, by its handle, for one buffer's events: many events share a few directories.
        var directories = new Dictionary<string, string?>(StringComparer.Ordinal);
        Span<PollFd> fds = [new PollFd { Fd = group, Events = 1 }, new PollFd { Fd = wake[0], Events = 1 }];
        while (true)
        {
            fixed (PollFd* polled = fds)
            {
                if (Native.poll(polled, 2, -1) < 0 && Marshal.GetLastPInvokeError() != EINTR)
                {
                    lost($"poll: {Marshal.GetLastPInvokeErrorMessage()}");
                    return;
                }
            }

            if ((fds[1].Returned & 1) != 0)
            {
                return;
            }

            nint read;
            fixed (byte* start = buffer)
            {
                read = Native.read(group, start, (nuint)buffer.Length);
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is EAGAIN or EINTR)
                {
                    continue;
                }

                lost($"reading fanotify events: {Marshal.GetLastPInvokeErrorMessage()}");
                return;
            }

            directories.Clear();
            Parse(buffer.AsSpan(0, (int)read), directories, received, lost);
        }
    }

    /// <summary>Ends <see cref="Read"/> (from any thread).</summary>
    public unsafe void Stop()
    {
        byte one = 1;
        _ = Native.write(wake[1], &one, 1);
    }

    private void Parse(ReadOnlySpan<byte> events, Dictionary<string, string?> directories, Action<FanotifyEvent> received, Action<string> lost)
    {
        // struct fanotify_event_metadata: event_len (4), vers (1), reserved (1), metadata_len (2), mask (8), fd (4), pid (4); then info records.
        while (events.Length >= 24)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(events);
            if (length < 24 || length > events.Length)
            {
                lost("a malformed fanotify event");
                return;
            }

            var metadataLength = BinaryPrimitives.ReadUInt16LittleEndian(events[6..]);
            var mask = BinaryPrimitives.ReadUInt64LittleEndian(events[8..]);
            var pid = BinaryPrimitives.ReadInt32LittleEndian(events[20..]);
            var info = events[metadataLength..length];
            events = events[length..];
            if ((mask & Overflow) != 0)
            {
                lost("the kernel's event queue overflowed");
                continue;
            }

            string? path = null;
            var pidfd = -1;
            var resolved = false;
            var gone = false;
            while (info.Length >= 4)
            {
                // struct fanotify_event_info_header: info_type (1), pad (1), len (2).
                var type = info[0];
                var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(info[2..]);
                if (recordLength < 4 || recordLength > info.Length)
                {
                    break;
                }

                var record = info[4..recordLength];
                info = info[recordLength..];
                if (type == InfoPidfd && record.Length >= 4)
                {
                    pidfd = BinaryPrimitives.ReadInt32LittleEndian(record);
                }
                else if (type is InfoDfidName or InfoDfid && record.Length >= 16)
                {
                    resolved = true;
                    path = PathOf(record, type == InfoDfidName, directories);
                    gone = path is Gone;
                }
            }

            if (path is null || gone)
            {
                if (pidfd >= 0)
                {
                    Native.close(pidfd);
                }

                // A change inside a directory deleted since needs no cycle of its own: the directory's deletion (or its
                // deleted ancestor's) is an event of a directory that still exists, and that event is read.
                if (gone)
                {
                    continue;
                }

                lost(resolved ? "an event's directory could not be found (deleted before it was read)" : "an event without a directory");
                continue;
            }

            received(new FanotifyEvent(path, mask, pid, pidfd));
        }
    }

    /// <summary>
    /// The path of a DFID or DFID_NAME record: fsid (8), struct file_handle (handle_bytes 4, handle_type 4, f_handle),
    /// then the name. <see cref="Gone"/> when the directory no longer exists; null when it cannot be resolved.
    /// </summary>
    private string? PathOf(ReadOnlySpan<byte> record, bool named, Dictionary<string, string?> directories)
    {
        var fsid = BinaryPrimitives.ReadInt64LittleEndian(record);
        var handleBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);
        if (12 + handleBytes > record.Length - 4 || !mounts.TryGetValue(fsid, out var mount))
        {
            return null;
        }

        var handle = record[8..(16 + handleBytes)];
        var key = Convert.ToBase64String(record[..(16 + handleBytes)]);
        if (!directories.TryGetValue(key, out var directory))
        {
            directory = directories[key] = DirectoryOf(mount, handle);
        }

        if (directory is null or Gone)
        {
            return directory;
        }

        var name = named ? record[(16 + handleBytes)..] : default;
        name = name.IndexOf((byte)0) is var end and >= 0 ? name[..end] : name;
        return name.IsEmpty || name.SequenceEqual("."u8) ? directory
            : directory == "/" ? "/" + HostPath.FromBytes(name)
            : directory + "/" + HostPath.FromBytes(name);
    }

    private static unsafe string? DirectoryOf(int mount, ReadOnlySpan<byte> handle)
    {
        int fd;
        fixed (byte* bytes = handle)
        {
            fd = Native.open_by_handle_at(mount, bytes, OpenPath | OpenCloseOnExec);
        }

        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError() == ESTALE ? Gone : null;
        }

        try
        {
            // A directory deleted since keeps its last path with " (deleted)": its entries' paths are still the ones to check.
            var path = LinuxFile.ReadLink($"/proc/self/fd/{fd}");
            return path?.EndsWith(" (deleted)", StringComparison.Ordinal) == true ? path[..^" (deleted)".Length] : path;
        }
        finally
        {
            Native.close(fd);
        }
    }

    private static unsafe long FsidOf(int fd)
    {
        // struct statfs on 64-bit Linux: f_fsid at offset 56.
        var buffer = stackalloc byte[256];
        if (Native.fstatfs(fd, buffer) != 0)
        {
            throw new IOException($"fstatfs: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return *(long*)(buffer + 56);
    }

    public void Dispose()
    {
        foreach (var fd in mounts.Values)
        {
            Native.close(fd);
        }

        Native.close(group);
        Native.close(wake[0]);
        Native.close(wake[1]);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    private static unsafe partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fanotify_init(uint flags, int eventFileFlags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fanotify_mark(int group, uint flags, ulong mask, int directory, [MarshalUsing(typeof(HostPathMarshaller))] string path);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int open_by_handle_at(int mount, byte* handle, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int open([MarshalUsing(typeof(HostPathMarshaller))] string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fstatfs(int fd, byte* buffer);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int poll(PollFd* fds, nuint count, int timeout);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial nint read(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial nint write(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int pipe2(int* fds, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);
    }
}
