namespace InfraDiff.Sections.Files;

/// <summary>A file's SHA-256, and the digest its package database records when that is another algorithm (dpkg's MD5, apk's SHA-1).</summary>
internal readonly record struct Digests(byte[] Sha256, byte[]? Package);
