namespace InfraDiff.Diffing;

/// <summary>A change a waiver let through: not alerted, still counted and shown.</summary>
/// <param name="Change">The change.</param>
/// <param name="Waiver">The waiver that covers it.</param>
public sealed record WaivedChange(DriftChange Change, Waiver Waiver);
