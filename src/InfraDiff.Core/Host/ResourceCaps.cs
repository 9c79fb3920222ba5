using System.Globalization;
using System.Runtime.InteropServices;

namespace InfraDiff.Host;

/// <summary>
/// What this process may take from the host it scans, so a scan never hurts the host it protects: a lower CPU
/// priority (nice), an I/O scheduling class, and a heap limit the GC keeps to. The files collector's read rate and
/// hashing threads are <see cref="Sections.Files.FilesCollectorOptions"/>'.
/// </summary>
public sealed partial class ResourceCaps
{
    /// <summary>The CPU priority, 0 (the default) to 19 (the lowest); null: left as inherited.</summary>
    public int? Nice { get; init; }

    /// <summary>"idle" (disk time only when no one else wants it) or "best-effort" (the lowest of that class); null: left as inherited.</summary>
    public string? IoClass { get; init; }

    /// <summary>The most the GC lets the managed heap hold, in bytes; null: the runtime's default.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>The I/O classes <see cref="IoClass"/> takes.</summary>
    public static IReadOnlyList<string> IoClasses { get; } = ["idle", "best-effort"];

    /// <summary>Applies the caps to this process: every thread it has now (Linux keeps nice and I/O priority a thread; threads made later inherit them).</summary>
    /// <exception cref="InfraDiffException">The kernel refused one; the message says which and why.</exception>
    public void Apply()
    {
        if (MaxMemory is { } bytes)
        {
            AppContext.SetData("GCHeapHardLimit", (ulong)bytes);
            GC.RefreshMemoryLimit();
        }

        if (Nice is null && IoClass is null)
        {
            return;
        }

        // Class 3 is idle; class 2 is best-effort, level 7 its lowest.
        var ioPriority = IoClass switch { "idle" => 3 << 13, "best-effort" => (2 << 13) | 7, _ => 0 };
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var thread))
            {
                continue;
            }

            if (Nice is { } nice && Native.setpriority(0, thread, nice) != 0 && Marshal.GetLastPInvokeError() != 3)
            {
                throw new InfraDiffException($"--nice {nice}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            if (ioPriority != 0 && Native.syscall(IoprioSet, 1, thread, ioPriority) != 0 && Marshal.GetLastPInvokeError() != 3)
            {
                throw new InfraDiffException($"--io-class {IoClass}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }

    /// <summary>ioprio_set's system call number (no libc wrapper): 251 on x86-64, 30 on arm64.</summary>
    private static long IoprioSet => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 30 : 251;

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int setpriority(int which, int who, int prio);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial long syscall(long number, int which, int who, int ioprio);
    }
}
