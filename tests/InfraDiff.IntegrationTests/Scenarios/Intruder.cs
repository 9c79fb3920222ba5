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
}
