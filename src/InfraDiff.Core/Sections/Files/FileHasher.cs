using System.Buffers;
using System.Security.Cryptography;

namespace InfraDiff.Sections.Files;

/// <summary>Hashes the files a walk found: streamed reads, a re-stat to catch a file changing while read.</summary>
internal static class FileHasher
{
    private const int HashBufferSize = 1 << 17;

    /// <summary>
    /// Hashes a file and re-stats it, as AIDE does: a hash taken while the file changed is discarded and taken
    /// once more; a file still changing is recorded with an error rather than a hash it never had.
    /// </summary>
    public static (Digests? Digests, string? Error, FileStatus Status) HashStable(PendingHash item, FileScan scan, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Digests digests;
            try
            {
                digests = Hash(item.RealPath, scan, item.PackageDigest, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, ErrorOf(ex), item.Status);
            }

            var after = FileStatus.LStat(item.RealPath);
            if (after is null)
            {
                return (null, null, item.Status);
            }

            if (after.Value == item.Status)
            {
                return (digests, null, item.Status);
            }

            item = item with { Status = after.Value };
        }

        return (null, StillChanging, item.Status);
    }

    /// <summary>What a file that kept changing while it was hashed, twice, is recorded with instead of a hash.</summary>
    public const string StillChanging = "changed while being hashed";

    /// <summary>What a read that failed means for the file: null when it is gone (nothing to record), else the error to record.</summary>
    public static string? ErrorOf(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => null,
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };

    /// <summary>
    /// SHA-256 of a file in streamed reads, and in the same reads the digest its package database records when that
    /// is another algorithm (dpkg's MD5, apk's SHA-1); stops between reads when cancelled (a 30 GB sparse file must
    /// not outlive a timeout).
    /// </summary>
    private static Digests Hash(string path, FileScan scan, HashAlgorithmName? packageDigest, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            using var handle = FileStatus.OpenForReading(path);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var package = packageDigest is { } algorithm ? IncrementalHash.CreateHash(algorithm) : null;
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(0, HashBufferSize), offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                package?.AppendData(buffer, 0, read);
                offset += read;
                scan.Throttle?.Took(read);
            }

            Interlocked.Increment(ref scan.FilesHashed);
            Interlocked.Add(ref scan.BytesHashed, offset);
            return new Digests(sha256.GetHashAndReset(), package?.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
