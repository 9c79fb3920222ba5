using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using InfraDiff.Sections.Files;

// One core's MD5 throughput: the multi-buffer hasher at each lane width this machine has (every lane busy, 1 MiB a
// lane, as a scan's files keep them), and .NET's MD5 (the platform's OpenSSL) on one stream, 2 s each. Every lane's
// digest is checked against .NET's first.
const int Size = 1 << 20;
var random = new Random(1);
foreach (var width in new[] { 16, 8, 4, 1 }.Where(w => w <= Md5Lanes.Widest))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"multi-buffer MD5, {width,2} lane{(width == 1 ? " " : "s")}: {Lanes(width):F0} MB/s"));
}

var one = new byte[Size];
random.NextBytes(one);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $".NET MD5 (OpenSSL), one stream: {Rate(() => MD5.HashData(one), Size):F0} MB/s"));

unsafe double Lanes(int width)
{
    using var lanes = new Md5Lanes(width);
    var buffers = new nint[width];
    var messages = new byte[width][];
    try
    {
        for (var lane = 0; lane < width; lane++)
        {
            messages[lane] = new byte[Size];
            random.NextBytes(messages[lane]);
            buffers[lane] = (nint)NativeMemory.AlignedAlloc(Size + 128, 64);
            messages[lane].CopyTo(new Span<byte>((void*)buffers[lane], Size));
            lanes.Start(lane);
        }

        var all = width == 32 ? uint.MaxValue : (1u << width) - 1;
        lanes.Compress(buffers, all, Size / Md5Lanes.BlockSize);
        for (var lane = 0; lane < width; lane++)
        {
            var tail = (byte*)buffers[lane] + Size;
            lanes.CompressOne(lane, (nint)tail, Md5Lanes.Pad(new Span<byte>(tail, 128), 0, Size) / Md5Lanes.BlockSize);
            if (!lanes.Digest(lane).AsSpan().SequenceEqual(MD5.HashData(messages[lane])))
            {
                throw new InvalidOperationException($"lane {lane} of {width}: not .NET's MD5");
            }
        }

        return Rate(() => lanes.Compress(buffers, all, Size / Md5Lanes.BlockSize), (long)Size * width);
    }
    finally
    {
        foreach (var buffer in buffers.Where(b => b != 0))
        {
            NativeMemory.AlignedFree((void*)buffer);
        }
    }
}

static double Rate(Action work, long bytesEach)
{
    var clock = Stopwatch.StartNew();
    long bytes = 0;
    while (clock.Elapsed < TimeSpan.FromSeconds(2))
    {
        work();
        bytes += bytesEach;
    }

    return bytes / clock.Elapsed.TotalSeconds / 1e6;
}
