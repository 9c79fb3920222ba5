namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>The moves an intruder makes on a test root, written once for every scenario.</summary>
internal static class Intruder
{
    /// <summary>Replaces 64 bytes of a file and restores its mtime: same size, same mtime, different content.</summary>
    public static void ReplaceKeepingSizeAndMtime(string path, int offset = 8192)
    {
        var mtime = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllBytes(path);
        for (var i = offset; i < offset + 64; i++)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, mtime);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="directory"/>/<paramref name="name"/>, a name of raw bytes
    /// (not UTF-8, so no .NET string holds it), with <paramref name="mode"/>: xargs -0 passes the bytes on as they are.
    /// </summary>
    public static async Task CopyUnderRawNameAsync(string source, string directory, byte[] name, string mode)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, [.. System.Text.Encoding.UTF8.GetBytes(directory + "/"), .. name, 0]);
        Assert.Equal(0, await DebianRoot.TryRunAsync("sh", "-c", "xargs -0 cp \"$1\" < \"$0\" && xargs -0 chmod \"$2\" < \"$0\"", path, source, mode));
        File.Delete(path);
    }
}
