namespace InfraDiff.Fleet;

/// <summary>A fleet run's answer: each host against its own baseline, the changes several hosts share, and the hosts that drifted apart from their siblings.</summary>
public sealed record FleetReport
{
    /// <summary>Every host, in the inventory's order.</summary>
    public required IReadOnlyList<FleetHostReport> Hosts { get; init; }

    /// <summary>Changes since the baselines found on two hosts or more, each once with its hosts, most severe and widest first.</summary>
    public required IReadOnlyList<SharedChange> Shared { get; init; }

    /// <summary>Values on which one host differs from all its group siblings.</summary>
    public required IReadOnlyList<FleetOutlier> Outliers { get; init; }

    /// <summary>The host every other was compared with (--against-host), or null.</summary>
    public string? Reference { get; init; }

    /// <summary>How the hosts differ from <see cref="Reference"/>, each difference once with the hosts that have it.</summary>
    public IReadOnlyList<SharedChange> AgainstReference { get; init; } = [];

    /// <summary>Whether a host drifted from its baseline or one drifted apart from its siblings.</summary>
    public bool HasDrift => Hosts.Any(h => h.Status == FleetHostStatus.Drifted) || Outliers.Count > 0;

    /// <summary>Whether a host failed or came back with a partial snapshot.</summary>
    public bool HasFailures => Hosts.Any(h => h.Status == FleetHostStatus.Failed || h.Partial);
}
