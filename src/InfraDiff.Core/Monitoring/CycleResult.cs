using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>What one cycle did.</summary>
public sealed record CycleResult(Snapshot Snapshot, DriftReport? Report, bool Alerted, int Undelivered);
