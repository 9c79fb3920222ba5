using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using InfraDiff.Host;
using InfraDiff.Packaging;
using InfraDiff.Sections;
using InfraDiff.Sections.Files;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Tests.Sections;

/// <summary>
/// Multi-buffer MD5 held to .NET's MD5 (the platform's OpenSSL) bit for bit: messages of random lengths 0–100,000 and
/// every length around a block's edges, each lane beside different neighbours, on every lane width this machine has;
/// and the files' hashing held to MD5 and SHA-256 of every file of a real tree.
/// </summary>
public sealed class Md5LanesTests
{
    public static TheoryData<int> Widths => [.. new[] { 1, 4, 8, 16 }.Where(w => w <= Md5Lanes.Widest)];

    private static readonly int[] EdgeLengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, (1 << 17) - 1, 1 << 17, (1 << 17) + 1];

    /// <summary>Each message padded and compressed a block at a time, lanes starting and finishing at different blocks; every digest is the platform's.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_lane_gives_the_platforms_md5_of_its_own_message_whatever_its_neighbours(int width)
    {
        var random = new Random(width);
        var messages = new Queue<byte[]>(EdgeLengths.Concat(Enumerable.Range(0, 300).Select(_ => random.Next(0, 100_001))).Select(n => RandomBytes(random, n)));
        var total = messages.Count;
        using var lanes = new Md5Lanes(width);
        var padded = new byte[width][];
        var message = new byte[width][];
        var handles = new System.Runtime.InteropServices.GCHandle[width];
        var positions = new nint[width];
        var remaining = new int[width];
        var checkedCount = 0;
        try
        {
            while (true)
            {
                uint active = 0;
                for (var lane = 0; lane < width; lane++)
                {
                    if (remaining[lane] == 0 && message[lane] is { } finished)
                    {
                        Assert.Equal(MD5.HashData(finished), lanes.Digest(lane));
                        checkedCount++;
                        message[lane] = null!;
                        handles[lane].Free();
                    }

                    if (message[lane] is null && messages.TryDequeue(out var next))
                    {
                        message[lane] = next;
                        padded[lane] = Padded(next);
                        handles[lane] = System.Runtime.InteropServices.GCHandle.Alloc(padded[lane], System.Runtime.InteropServices.GCHandleType.Pinned);
                        positions[lane] = handles[lane].AddrOfPinnedObject();
                        remaining[lane] = padded[lane].Length / Md5Lanes.BlockSize;
                        lanes.Start(lane);
                    }

                    if (message[lane] is not null)
                    {
                        active |= 1u << lane;
                    }
                }

                if (active == 0)
                {
                    break;
                }

                // One block for each busy lane; the last lane busy goes on alone, on scalars, as a scan's last file does.
                if (System.Numerics.BitOperations.PopCount(active) == 1 && width > 1)
                {
                    var lane = System.Numerics.BitOperations.TrailingZeroCount(active);
                    lanes.CompressOne(lane, positions[lane], 1);
                }
                else
                {
                    lanes.Compress(positions, active, 1);
                }

                for (var lane = 0; lane < width; lane++)
                {
                    if ((active & (1u << lane)) != 0)
                    {
                        positions[lane] += Md5Lanes.BlockSize;
                        remaining[lane]--;
                    }
                }
            }
        }
        finally
        {
            foreach (var handle in handles.Where(h => h.IsAllocated))
            {
                handle.Free();
            }
        }

        Assert.Equal(total, checkedCount);
    }

    [Fact]
    public void Padding_is_rfc_1321s_one_bit_zeros_and_the_bit_length_little_endian()
    {
        var buffer = new byte[200];
        buffer.AsSpan(0, 55).Fill(0xAA);

        Assert.Equal(64, Md5Lanes.Pad(buffer, 55, 55));
        Assert.Equal(0x80, buffer[55]);
        Assert.Equal(55UL * 8, BitConverter.ToUInt64(buffer, 56));

        Assert.Equal(128, Md5Lanes.Pad(buffer, 56, 1_000_056));
        Assert.Equal(0x80, buffer[56]);
        Assert.All(buffer[57..120], b => Assert.Equal(0, b));
        Assert.Equal(1_000_056UL * 8, BitConverter.ToUInt64(buffer, 120));
    }

    [Fact]
    public void A_width_the_machine_lacks_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Md5Lanes(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Md5Lanes(32));
    }

    /// <summary>
    /// Files of every size around a chunk's and a block's edges, a real tree's files (the tests' own binaries), one
    /// that is gone and one that is a FIFO: each file's MD5 and SHA-256 are the platform's, whatever the lanes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Files_hashed_in_lanes_have_the_platforms_md5_and_sha256(int width)
    {
        var tree = Directory.CreateTempSubdirectory("infradiff-lanes-").FullName;
        try
        {
            var random = new Random(width);
            var paths = new List<string>();
            foreach (var length in EdgeLengths.Concat([(1 << 18) + 7, 3 << 17, 600_001]).Concat(Enumerable.Range(0, 40).Select(_ => random.Next(0, 200_000))))
            {
                var path = Path.Join(tree, $"f{paths.Count}");
                await File.WriteAllBytesAsync(path, RandomBytes(random, length));
                paths.Add(path);
            }

            paths.AddRange(Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories).Take(400));
            var gone = Path.Join(tree, "gone");
            var fifo = Path.Join(tree, "fifo");
            Support.Fixtures.RunTool("mkfifo", fifo);
            var items = Channel.CreateUnbounded<PendingHash>();
            foreach (var path in paths.Append(gone).Append(fifo))
            {
                var status = FileStatus.LStat(path) ?? default;
                await items.Writer.WriteAsync(new PendingHash(path, path, status, HashAlgorithmName.MD5));
            }

            items.Writer.Complete();
            var hashed = new ConcurrentDictionary<string, (Digests? Digests, string? Error)>();
            var scan = new FileScan(new CollectionContext(new RootedFileSystem("/"), new LocalCommandRunner(), NullLogger.Instance), StatCache.Empty(), [], [], PackageFileIndex.None);

            await FileLanes.HashAllAsync(items.Reader, scan, (item, digests, error) => Assert.True(hashed.TryAdd(item.HostPath, (digests, error))), CancellationToken.None, width);

            Assert.Equal(paths.Order(StringComparer.Ordinal), hashed.Keys.Order(StringComparer.Ordinal));
            Assert.All(paths, path =>
            {
                var bytes = File.ReadAllBytes(path);
                var (digests, error) = hashed[path];
                Assert.Null(error);
                Assert.Equal((Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(MD5.HashData(bytes))), (Convert.ToHexString(digests!.Value.Sha256), Convert.ToHexString(digests.Value.Package!)));
            });
            Assert.Equal(paths.Count, scan.FilesHashed);
            Assert.Equal(paths.Sum(p => new FileInfo(p).Length), scan.BytesHashed);
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Padded(byte[] message)
    {
        var tail = message.Length % Md5Lanes.BlockSize;
        var buffer = new byte[message.Length - tail + (2 * Md5Lanes.BlockSize) + 8];
        message.CopyTo(buffer, 0);
        var length = message.Length - tail + Md5Lanes.Pad(buffer.AsSpan(message.Length - tail), tail, message.Length);
        return buffer[..length];
    }
}
