using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>A change found on one host of a fleet.</summary>
/// <param name="Host">The inventory name of the host.</param>
/// <param name="Change">The change since its baseline.</param>
public sealed record HostChange(string Host, DriftChange Change);
