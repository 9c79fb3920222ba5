using InfraDiff.Monitoring.Realtime;

namespace InfraDiff.Core.Tests.Monitoring;

/// <summary>The kernel's fanotify, read directly (as root, as CI runs): what a queued event resolves to once its directory is gone.</summary>
public sealed class FanotifyTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-fanotify-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Changes_inside_a_directory_deleted_before_they_are_read_are_not_lost_events_its_deletion_is_reported()
    {
        using var fanotify = Fanotify.TryOpen(out var problem) ?? throw new InvalidOperationException(problem);
        fanotify.MarkFilesystemOf(work);

        // All of this is queued before anything is read: by then the directory's inode is freed (ESTALE).
        var doomed = Path.Join(work, "doomed");
        Directory.CreateDirectory(Path.Join(doomed, "deeper"));
        File.WriteAllText(Path.Join(doomed, "deeper", "f"), "x");
        File.WriteAllText(Path.Join(doomed, "g"), "y");
        Directory.Delete(doomed, recursive: true);
        File.WriteAllText(Path.Join(work, "last"), "z");

        var received = new List<FanotifyEvent>();
        var lost = new List<string>();
        var reading = Task.Run(() => fanotify.Read(
            e =>
            {
                lock (received)
                {
                    received.Add(e);
                }
            },
            lost.Add));

        bool Seen(string path)
        {
            lock (received)
            {
                return received.Any(e => e.Path == path);
            }
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Seen(Path.Join(work, "last")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        fanotify.Stop();
        await reading;

        Assert.True(Seen(Path.Join(work, "last")), "the last event was never read");
        Assert.Empty(lost);
        Assert.Contains(received, e => e.Path == doomed && (e.Mask & Fanotify.Delete) != 0 && (e.Mask & Fanotify.OnDirectory) != 0);
        Assert.DoesNotContain(received, e => e.Path.StartsWith(Path.Join(doomed, "deeper") + "/", StringComparison.Ordinal));
        foreach (var e in received.Where(e => e.Pidfd >= 0))
        {
            Assert.Equal(0, Close(e.Pidfd));
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
