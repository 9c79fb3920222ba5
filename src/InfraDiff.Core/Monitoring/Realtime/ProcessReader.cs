using System.Globalization;
using System.Runtime.InteropServices;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Redaction;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>A package manager process, known by its pid and start time (a pid alone may be reused).</summary>
internal readonly record struct PackageProcess(int Pid, string Started);

/// <summary>
/// Reads who a process is from /proc while the kernel's pidfd for it is held: what was read is kept only when the
/// pidfd says afterwards that the process was not yet reaped (so its pid was not reused meanwhile); otherwise the
/// writer is "unknown (exited)", never someone else who got the pid.
/// </summary>
internal sealed partial class ProcessReader(Func<long, string?> userName)
{
    private const int MaxParents = 12;
    private static readonly string[] PackageManagers = ["dpkg", "rpm", "apk"];
    private static readonly string[] PackageFrontEnds = ["apt-get", "apt", "aptitude", "unattended-upgr", "dnf", "yum", "microdnf", "zypper", "tdnf"];

    /// <summary>Who the process behind an event is, the package manager among it and its parents if any, and its start time when it was read.</summary>
    /// <param name="pid">The pid the event carries.</param>
    /// <param name="pidfd">The event's pidfd, or -1: not closed here.</param>
    /// <param name="at">When the event was read.</param>
    public (ChangeActor Actor, PackageProcess? Package, string? Started) Read(int pid, int pidfd, DateTimeOffset at)
    {
        if (pidfd < 0)
        {
            return (new ChangeActor { At = at, Unknown = pid > 0 ? "exited before it could be read" : "the kernel reported no process" }, null, null);
        }

        if (Describe(pid) is not { } self || !Alive(pidfd, pid))
        {
            return (new ChangeActor { At = at, Unknown = "exited" }, null, null);
        }

        var chain = new List<Process> { self };
        var fd = -1;
        try
        {
            var child = self;
            var childFd = pidfd;
            for (var i = 0; i < MaxParents && child.Parent > 1; i++)
            {
                // The parent is held by a pidfd before the child's parent is read again: if the child (still alive)
                // names the same parent after, the pidfd is that parent's.
                var parentFd = PidfdOpen(child.Parent);
                if (parentFd < 0 || Describe(child.Pid) is not { } again || again.Parent != child.Parent || !Alive(childFd, child.Pid)
                    || Describe(child.Parent) is not { } parent || !Alive(parentFd, child.Parent))
                {
                    if (parentFd >= 0)
                    {
                        Native.close(parentFd);
                    }

                    break;
                }

                chain.Add(parent);
                if (fd >= 0)
                {
                    Native.close(fd);
                }

                fd = childFd = parentFd;
                child = parent;

                // The login session's first process ends the chain: what started the session is not its user's doing.
                if (parent.Session != self.Session)
                {
                    break;
                }
            }
        }
        finally
        {
            if (fd >= 0)
            {
                Native.close(fd);
            }
        }

        var manager = chain.FirstOrDefault(p => PackageManagers.Contains(p.Name, StringComparer.Ordinal));
        var frontEnd = manager is null ? null : chain.LastOrDefault(p => PackageFrontEnds.Contains(p.Name, StringComparer.Ordinal));
        var actor = new ChangeActor
        {
            At = at,
            Pid = pid,
            Executable = self.Executable,
            CommandLine = self.CommandLine,
            Uid = self.Uid,
            User = userName(self.Uid),
            LoginUid = self.LoginUid,
            LoginUser = self.LoginUid is { } login ? userName(login) : null,
            Session = self.Session,
            Parents = [.. chain.Skip(1).Select(p => $"{p.Name} (pid {p.Pid}, uid {p.Uid})")],
            PackageManager = manager?.Name,
            PackageCommand = frontEnd?.CommandLine ?? manager?.CommandLine,
        };
        return (actor, manager is null ? null : new PackageProcess(manager.Pid, manager.Started), self.Started);
    }

    /// <summary>Whether a package manager process is still the one that was running.</summary>
    public static bool IsRunning(PackageProcess process) => StartedAt(process.Pid) == process.Started;

    /// <summary>A process's start time (the 22nd field of /proc/PID/stat, in clock ticks since boot): with its pid, who it is.</summary>
    public static string? StartedAt(int pid) =>
        Read($"/proc/{pid}/stat", 4096) is { } stat && stat.LastIndexOf(')') is var end and > 0 && stat[(end + 2)..].Split(' ') is { Length: > 19 } fields ? fields[19] : null;

    /// <summary>Closes a pidfd.</summary>
    public static void Close(int pidfd) => Native.close(pidfd);

    private static Process? Describe(int pid)
    {
        var directory = $"/proc/{pid}";
        if (Read(directory + "/status", 4096) is not { } status || StartedAt(pid) is not { } started)
        {
            return null;
        }

        string? Field(string name) =>
            status.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line ? line[(name.Length + 1)..].Trim() : null;

        var uid = Field("Uid")?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, var effective, ..] ? long.Parse(effective, CultureInfo.InvariantCulture) : -1;
        var commandLine = Read(directory + "/cmdline", 64 << 10)?.Replace('\0', ' ').Trim();
        return new Process(
            pid,
            Field("Name") ?? "?",
            started,
            int.TryParse(Field("PPid"), CultureInfo.InvariantCulture, out var parent) ? parent : 0,
            uid,
            AuditId(Read(directory + "/loginuid", 64)),
            AuditId(Read(directory + "/sessionid", 64)),
            ReadLink(directory + "/exe"),
            string.IsNullOrEmpty(commandLine) ? null : Excerpt.Cut(SecretRedactor.RedactCommand(commandLine), 256));
    }

    /// <summary>An audit id, or null for "unset" (4294967295: a process no login started).</summary>
    private static long? AuditId(string? text) =>
        long.TryParse(text?.Trim(), CultureInfo.InvariantCulture, out var id) && id != uint.MaxValue ? id : null;

    /// <summary>Whether the pidfd's process is not yet reaped (its fdinfo still names <paramref name="pid"/>, not -1).</summary>
    public static bool Alive(int pidfd, int pid) =>
        Read($"/proc/{Environment.ProcessId}/fdinfo/{pidfd}", 4096) is { } info
        && info.Split('\n').Any(l => l.StartsWith("Pid:", StringComparison.Ordinal) && l[4..].Trim() == pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>A /proc file's text, as every host file is read (bounded, no link followed); null when it is gone or cannot be read.</summary>
    private static string? Read(string path, int limit)
    {
        try
        {
            return RootedFileSystem.Live.ReadTextOrNull(path, limit);
        }
        catch (Exception ex) when (ex is HostFileException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return LinuxFile.ReadLink(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int PidfdOpen(int pid) => (int)Native.syscall(434, pid, 0);

    private sealed record Process(int Pid, string Name, string Started, int Parent, long Uid, long? LoginUid, long? Session, string? Executable, string? CommandLine);

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial long syscall(long number, int pid, uint flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);
    }
}
