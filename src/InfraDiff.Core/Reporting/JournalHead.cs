namespace InfraDiff.Reporting;

/// <summary>A point in a store's journal.</summary>
/// <param name="Sequence">The last entry's number.</param>
/// <param name="Head">The SHA-256 of the last entry.</param>
public sealed record JournalHead(long Sequence, string Head);
