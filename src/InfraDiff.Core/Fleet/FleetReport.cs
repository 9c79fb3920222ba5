using InfraDiff.Diffing;

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

    /// <summary>
    /// Whether this report says something <paramref name="previous"/> did not: a host drifted since its baseline, or
    /// an outlier or a failed host it did not name. A watcher tells people only then, so a standing outlier is
    /// reported once, not every run.
    /// </summary>
    /// <param name="previous">The last report delivered, or null when there was none (then any drift or failure is news).</param>
    public bool HasNewsSince(FleetReport? previous)
    {
        if (Hosts.Any(h => h.Status == FleetHostStatus.Drifted))
        {
            return true;
        }

        var known = previous is null ? [] : previous.Troubles().ToHashSet(StringComparer.Ordinal);
        return Troubles().Any(t => !known.Contains(t));
    }

    /// <summary>The changes since the baselines that no other host shares (those are in <see cref="Shared"/>), most severe first.</summary>
    public IReadOnlyList<HostChange> ChangesOnOneHost()
    {
        var shared = Shared.Select(s => FleetComparer.Key(s.Change)).ToHashSet(StringComparer.Ordinal);
        return Hosts.SelectMany(h => h.Changes.Where(c => !shared.Contains(FleetComparer.Key(c))).Select(c => new HostChange(h.Name, c)))
            .OrderByDescending(c => c.Change.Severity)
            .ToList();
    }

    /// <summary>Each outlier and each failed or partial host, as a key that stays the same while it stands.</summary>
    private IEnumerable<string> Troubles() =>
        Outliers.Select(o => $"outlier\0{o.Host}\0{FleetComparer.Key(o.Change)}")
            .Concat(Hosts.Where(h => h.Status == FleetHostStatus.Failed || h.Partial).Select(h => $"failed\0{h.Name}\0{h.Reason}"));

    /// <summary>
    /// The fleet's news as one drift report, so every alert sink and format takes it: each failure, outlier and
    /// shared change is one line naming its hosts, then the changes found on one host only.
    /// </summary>
    /// <param name="fleet">What the report calls the fleet (the inventory's name), its "host".</param>
    /// <param name="time">When the fleet was compared.</param>
    public DriftReport ToDriftReport(string fleet, DateTimeOffset time)
    {
        var changes = new List<DriftChange>();
        foreach (var host in Hosts.Where(h => h.Status == FleetHostStatus.Failed))
        {
            changes.Add(new DriftChange("fleet", ChangeKind.Replace, $"/hosts/{host.Name}", default, default, Severity.High, $"{host.Name} failed: {host.Reason}"));
        }

        foreach (var outlier in Outliers)
        {
            changes.Add(outlier.Change with
            {
                Path = $"/outliers/{outlier.Host}{outlier.Change.Path}",
                Summary = $"{outlier.Host} differs from the rest of {outlier.Group}: {outlier.Change.Summary}",
            });
        }

        foreach (var shared in Shared)
        {
            changes.Add(shared.Change with
            {
                Path = $"/shared{shared.Change.Path}",
                Summary = $"{shared.Change.Summary} on {shared.Hosts.Count} of {shared.Hosts.Count + shared.Without.Count} hosts ({string.Join(", ", shared.Hosts)})",
            });
        }

        changes.AddRange(ChangesOnOneHost().Select(c => c.Change with { Path = $"/hosts/{c.Host}{c.Change.Path}", Summary = $"{c.Host}: {c.Change.Summary}" }));

        var identity = new SnapshotIdentity(fleet, time);
        return new DriftReport
        {
            Before = identity,
            After = identity,
            Summary = changes.GroupBy(c => c.Category).ToDictionary(
                g => g.Key,
                g => new CategorySummary(g.Count(c => c.Kind == ChangeKind.Add), g.Count(c => c.Kind == ChangeKind.Remove), g.Count(c => c.Kind == ChangeKind.Replace)),
                StringComparer.Ordinal),
            Changes = changes,
            Unknown = [],
            Notices = [],
        };
    }
}
