using System.Diagnostics;

namespace InfraDiff.Sections.Files;

/// <summary>
/// Paces the bytes every hashing thread reads to a rate (<see cref="FilesCollectorOptions.MaxReadRate"/>): each read
/// books its bytes on one shared timeline, and a reader ahead of it sleeps until its bytes are due. A quarter of a
/// second may be read ahead, so a short file is not a sleep.
/// </summary>
internal sealed class ReadThrottle(long bytesPerSecond)
{
    private static readonly long Burst = Stopwatch.Frequency / 4;

    private readonly Lock gate = new();
    private long due = Stopwatch.GetTimestamp();

    /// <summary>Books <paramref name="bytes"/> just read, and waits until they are due.</summary>
    public void Took(int bytes)
    {
        long wait;
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            due = Math.Max(due, now - Burst) + (long)(bytes * (double)Stopwatch.Frequency / bytesPerSecond);
            wait = due - now - Burst;
        }

        if (wait > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
    }
}
