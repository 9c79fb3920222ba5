namespace InfraDiff.Packaging;

/// <summary>What a package database says of one file: its package, the digest it shipped with (hex; null when none is recorded), and whether it is configuration the administrator may change.</summary>
internal sealed record PackageFile(string Package, string? Digest, bool Conffile);
