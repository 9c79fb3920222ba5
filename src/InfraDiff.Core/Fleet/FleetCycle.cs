namespace InfraDiff.Fleet;

/// <summary>What one fleet run found.</summary>
/// <param name="Results">Each host's snapshot or failure.</param>
/// <param name="Report">The comparison.</param>
/// <param name="News">Whether the report says something the last one told did not (then it was queued as an alert).</param>
/// <param name="Undelivered">How many alerts still wait in the outbox.</param>
public sealed record FleetCycle(IReadOnlyList<FleetHostResult> Results, FleetReport Report, bool News, int Undelivered);
