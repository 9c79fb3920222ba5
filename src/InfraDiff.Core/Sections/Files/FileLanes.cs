using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Sections.Files;

/// <summary>
/// One hashing thread's files whose package records MD5 (dpkg's), read side by side so their MD5s advance together
/// in <see cref="Md5Lanes"/>: each lane holds one open file and its next chunk, SHA-256 taken of each chunk as it is
/// read. A lane whose chunk is used up reads the next; a file at its end is padded, finished, re-statted (a file that
/// changed while read is hashed once more, as <see cref="FileHasher.HashStable"/> does) and its lane takes the next file.
/// </summary>
internal sealed class FileLanes : IDisposable
{
    /// <summary>Bytes a lane reads at a time.</summary>
    private const int ChunkSize = 1 << 17;

    /// <summary>Room after a chunk for the bytes of a block left over from the previous one and MD5's padding.</summary>
    private const int Slack = 2 * Md5Lanes.BlockSize + 8;

    private readonly Md5Lanes md5;
    private readonly Slot?[] slots;
    private readonly nint[] positions;
    private readonly nint buffers;
    private readonly FileScan scan;
    private readonly Action<PendingHash, Digests?, string?> done;

    private unsafe FileLanes(FileScan scan, Action<PendingHash, Digests?, string?> done, int? width)
    {
        md5 = new Md5Lanes(width);
        slots = new Slot?[md5.Width];
        positions = new nint[md5.Width];
        buffers = (nint)NativeMemory.AlignedAlloc((nuint)(md5.Width * (ChunkSize + Slack)), 64);
        this.scan = scan;
        this.done = done;
    }

    /// <summary>
    /// Hashes everything <paramref name="items"/> yields on every core, telling <paramref name="done"/> of each file
    /// hashed or failed (a file gone before it was read is not told): files whose package records MD5 in lanes,
    /// the others one by one.
    /// </summary>
    public static Task HashAllAsync(ChannelReader<PendingHash> items, FileScan scan, Action<PendingHash, Digests?, string?> done, CancellationToken cancellationToken, int? width = null, int? threads = null) =>
        Task.WhenAll(Enumerable.Range(0, threads ?? Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            using var lanes = new FileLanes(scan, done, width);
            await lanes.RunAsync(items, cancellationToken).ConfigureAwait(false);
        }, cancellationToken)));

    private int Active => slots.Count(s => s is not null);

    public unsafe void Dispose()
    {
        foreach (var slot in slots)
        {
            slot?.Dispose();
        }

        md5.Dispose();
        NativeMemory.AlignedFree((void*)buffers);
    }

    private async Task RunAsync(ChannelReader<PendingHash> items, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var free = Array.IndexOf(slots, null);
            while (free >= 0 && items.TryRead(out var item))
            {
                if (item.PackageDigest != HashAlgorithmName.MD5 || md5.Width == 1)
                {
                    var (digests, error, status) = FileHasher.HashStable(item, scan, cancellationToken);
                    if (digests is not null || error is not null)
                    {
                        done(item with { Status = status }, digests, error);
                    }

                    continue;
                }

                Open(free, item, attempt: 0);
                free = Array.IndexOf(slots, null);
            }

            // Lanes free and no file waiting: wait for one rather than compute with idle lanes (a step costs the same
            // however many are busy, and the walk feeding the files needs the core); once the walk is done, finish.
            if (free >= 0 && await items.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (Active == 0)
            {
                return;
            }

            Advance(alone: Active == 1);
        }
    }

    /// <summary>
    /// Compresses as many blocks as every busy lane has, then refills or finishes the lanes that ran out. The last
    /// file of a scan left <paramref name="alone"/> is advanced on scalars rather than in a vector of idle lanes.
    /// </summary>
    private void Advance(bool alone)
    {
        uint busy = 0;
        var blocks = int.MaxValue;
        for (var lane = 0; lane < slots.Length; lane++)
        {
            if (slots[lane] is { } slot)
            {
                busy |= 1u << lane;
                blocks = Math.Min(blocks, slot.Blocks);
            }
        }

        if (alone)
        {
            for (var lane = 0; lane < slots.Length; lane++)
            {
                if (slots[lane] is { } slot)
                {
                    md5.CompressOne(lane, positions[lane], slot.Blocks);
                    Consumed(lane, slot.Blocks);
                }
            }

            return;
        }

        md5.Compress(positions, busy, blocks);
        for (var lane = 0; lane < slots.Length; lane++)
        {
            if (slots[lane] is not null)
            {
                Consumed(lane, blocks);
            }
        }
    }

    private void Consumed(int lane, int blocks)
    {
        var slot = slots[lane]!;
        positions[lane] += blocks * Md5Lanes.BlockSize;
        slot.Blocks -= blocks;
        if (slot.Blocks == 0)
        {
            Refill(lane);
        }
    }

    private unsafe byte* Buffer(int lane) => (byte*)buffers + ((nint)lane * (ChunkSize + Slack));

    private void Open(int lane, PendingHash item, int attempt)
    {
        md5.Start(lane);
        try
        {
            slots[lane] = new Slot(item, FileStatus.OpenForReading(item.RealPath), attempt);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(item, ex);
            return;
        }

        Refill(lane);
    }

    /// <summary>Reads a lane's next chunk (after the part-block left over), pads the file's end, or finishes a file whose end was compressed.</summary>
    private unsafe void Refill(int lane)
    {
        var slot = slots[lane]!;
        var buffer = Buffer(lane);
        if (slot.Padded)
        {
            Finish(lane, slot);
            return;
        }

        var carried = new Span<byte>((void*)positions[lane], slot.Carried);
        carried.CopyTo(new Span<byte>(buffer, ChunkSize + Slack));
        var filled = slot.Carried;
        try
        {
            while (filled < Md5Lanes.BlockSize)
            {
                var read = RandomAccess.Read(slot.Handle, new Span<byte>(buffer + filled, ChunkSize), slot.Offset);
                scan.Throttle?.Took(read);
                if (read == 0)
                {
                    slot.Blocks = Md5Lanes.Pad(new Span<byte>(buffer, ChunkSize + Slack), filled, slot.Offset) / Md5Lanes.BlockSize;
                    slot.Padded = true;
                    slot.Carried = 0;
                    positions[lane] = (nint)buffer;
                    return;
                }

                slot.Sha256.AppendData(new ReadOnlySpan<byte>(buffer + filled, read));
                slot.Offset += read;
                filled += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            slots[lane] = null;
            slot.Dispose();
            Fail(slot.Item, ex);
            return;
        }

        slot.Blocks = filled / Md5Lanes.BlockSize;
        slot.Carried = filled % Md5Lanes.BlockSize;
        positions[lane] = (nint)buffer;
    }

    private void Finish(int lane, Slot slot)
    {
        slots[lane] = null;
        var digests = new Digests(slot.Sha256.GetHashAndReset(), md5.Digest(lane));
        slot.Dispose();
        Interlocked.Increment(ref scan.FilesHashed);
        Interlocked.Add(ref scan.BytesHashed, slot.Offset);
        var item = slot.Item;
        switch (FileStatus.LStat(item.RealPath))
        {
            case null:
                return;
            case var after when after.Value == item.Status:
                done(item, digests, null);
                return;
            case var after when slot.Attempt == 0:
                Open(lane, item with { Status = after.Value }, attempt: 1);
                return;
            case var after:
                done(item with { Status = after.Value }, null, FileHasher.StillChanging);
                return;
        }
    }

    private void Fail(PendingHash item, Exception ex)
    {
        if (FileHasher.ErrorOf(ex) is { } error)
        {
            done(item, null, error);
        }
    }

    /// <summary>A file in a lane: where its reads are, its SHA-256 so far, and how much of its chunk is left.</summary>
    private sealed class Slot(PendingHash item, SafeFileHandle handle, int attempt) : IDisposable
    {
        public PendingHash Item { get; } = item;

        public SafeFileHandle Handle { get; } = handle;

        public int Attempt { get; } = attempt;

        public IncrementalHash Sha256 { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        /// <summary>Bytes read from the file so far.</summary>
        public long Offset { get; set; }

        /// <summary>Whole blocks of the chunk not compressed yet.</summary>
        public int Blocks { get; set; }

        /// <summary>Bytes after those blocks, less than a block: carried to the start of the next chunk.</summary>
        public int Carried { get; set; }

        /// <summary>The file's end is padded in the buffer: once compressed, the file is done.</summary>
        public bool Padded { get; set; }

        public void Dispose()
        {
            Handle.Dispose();
            Sha256.Dispose();
        }
    }
}
