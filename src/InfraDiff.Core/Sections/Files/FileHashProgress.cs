namespace InfraDiff.Sections.Files;

/// <summary>How far hashing has come; <see cref="Done"/> on the last report.</summary>
public readonly record struct FileHashProgress(long Files, long Bytes, TimeSpan Elapsed, bool Done = false);
