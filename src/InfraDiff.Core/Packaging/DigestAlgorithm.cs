namespace InfraDiff.Packaging;

/// <summary>The digest a package database records for file contents.</summary>
internal enum DigestAlgorithm
{
    /// <summary>dpkg's md5sums, and rpm databases older than 4.6.</summary>
    Md5,

    /// <summary>apk's Z: "Q1" checksums.</summary>
    Sha1,

    /// <summary>rpm since 4.6: the same as the files section's own hash, so nothing extra is computed.</summary>
    Sha256,
}
