using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Host;

namespace InfraDiff.Fleet;

/// <summary>
/// Compares a fleet's snapshots: each host with its own baseline, then hosts with each other. Snapshots are read
/// from the store one or two at a time, so the controller's memory does not grow with the number of hosts.
/// </summary>
public static class FleetComparer
{
    /// <summary>The baseline file in a host's store directory.</summary>
    public const string BaselineFile = "baseline.json";

    /// <summary>Compares the hosts that came back with their baselines (a missing one is created) and their group siblings.</summary>
    /// <exception cref="InvalidOptionException">The <see cref="FleetComparisonOptions.AgainstHost"/> host is not among those that came back.</exception>
    public static async Task<FleetReport> CompareAsync(IReadOnlyList<FleetHostResult> results, FleetComparisonOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        var succeeded = results.Where(r => r.Succeeded).ToList();
        if (options.AgainstHost is { } against && !succeeded.Any(r => r.Host.Name == against))
        {
            throw new InvalidOptionException($"{options.AgainstHostName} {against}", results.Any(r => r.Host.Name == against)
                ? "that host failed, so there is nothing to compare with"
                : "not one of the hosts selected");
        }

        var hosts = new List<FleetHostReport>(results.Count);
        foreach (var result in results)
        {
            hosts.Add(await AgainstBaselineAsync(result, options, cancellationToken).ConfigureAwait(false));
        }

        var order = results.Select((r, i) => (r.Host.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var compared = hosts.Where(h => h.Status is FleetHostStatus.Clean or FleetHostStatus.Drifted).Select(h => h.Name).ToList();
        var shared = Share(hosts.SelectMany(h => h.Changes.Select(c => (h.Name, c))), compared, order).Where(s => s.Hosts.Count > 1).ToList();

        var pairs = new PairDiffs(succeeded, options.Rules);
        var outliers = await OutliersAsync(succeeded, options.AgainstHost, pairs, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SharedChange> againstReference = [];
        if (options.AgainstHost is { } reference)
        {
            var others = succeeded.Where(r => r.Host.Name != reference).Select(r => r.Host.Name).ToList();
            var differences = new List<(string, DriftChange)>();
            foreach (var other in others)
            {
                differences.AddRange((await pairs.GetAsync(reference, other, cancellationToken).ConfigureAwait(false)).Select(c => (other, c)));
            }

            againstReference = Share(differences, others, order);
        }

        return new FleetReport { Hosts = hosts, Shared = shared, Outliers = outliers, Reference = options.AgainstHost, AgainstReference = againstReference };
    }

    /// <summary>
    /// Makes each host's latest snapshot its baseline (hosts that failed keep theirs): what a watcher does once the
    /// report of a run has been delivered, so a change is never dropped before someone was told.
    /// </summary>
    /// <param name="results">The run's hosts.</param>
    /// <param name="report">The run's report: a host whose baseline could not be read keeps it, for someone to look at.</param>
    /// <param name="cancellationToken">Stops between hosts.</param>
    public static async Task UpdateBaselinesAsync(IReadOnlyList<FleetHostResult> results, FleetReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(report);
        var failed = report.Hosts.Where(h => h.Status == FleetHostStatus.Failed).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var latest in results.Where(r => !failed.Contains(r.Host.Name)).Select(r => r.SnapshotPath).OfType<string>())
        {
            var bytes = await File.ReadAllBytesAsync(latest, cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAsync(Path.Join(Path.GetDirectoryName(latest), BaselineFile), bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<FleetHostReport> AgainstBaselineAsync(FleetHostResult result, FleetComparisonOptions options, CancellationToken cancellationToken)
    {
        if (result.SnapshotPath is not { } latest)
        {
            return new FleetHostReport(result.Host.Name, FleetHostStatus.Failed, result.Failure, false, []);
        }

        var baseline = Path.Join(Path.GetDirectoryName(latest), BaselineFile);
        if (!File.Exists(baseline))
        {
            await AtomicFile.WriteAsync(baseline, await File.ReadAllBytesAsync(latest, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return new FleetHostReport(result.Host.Name, FleetHostStatus.Baselined, null, result.Partial, []);
        }

        IReadOnlyList<DriftChange> changes;
        try
        {
            changes = Detached((await SnapshotDiffer.CompareAsync(baseline, latest, options.Rules, cancellationToken: cancellationToken).ConfigureAwait(false)).Changes);
        }
        catch (InvalidSnapshotException ex)
        {
            // A damaged baseline is reported and left as it is: replacing it would hide what happened to it.
            return new FleetHostReport(result.Host.Name, FleetHostStatus.Failed, $"baseline {ex.Message}", result.Partial, []);
        }

        return new FleetHostReport(result.Host.Name, changes.Count > 0 ? FleetHostStatus.Drifted : FleetHostStatus.Clean, null, result.Partial, changes);
    }

    /// <summary>
    /// Within each group of three hosts or more (smallest first, so a host is named against its closest siblings), a
    /// value one host alone holds while all the others agree. Every host is diffed with one reference host: a change
    /// found on one host only makes that host the outlier; the same change on every other host makes the reference
    /// the outlier.
    /// </summary>
    private static async Task<IReadOnlyList<FleetOutlier>> OutliersAsync(List<FleetHostResult> succeeded, string? against, PairDiffs pairs, CancellationToken cancellationToken)
    {
        var groups = succeeded.SelectMany(r => r.Host.Groups).Where(g => g != "all").Distinct(StringComparer.Ordinal)
            .Select(g => (Name: g, Members: succeeded.Where(r => r.Host.Groups.Contains(g)).Select(r => r.Host.Name).ToList()))
            .Where(g => g.Members.Count >= 3)
            .OrderBy(g => g.Members.Count).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var outliers = new List<FleetOutlier>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, members) in groups)
        {
            var reference = against is not null && members.Contains(against) ? against : members[0];
            var others = members.Where(m => m != reference).ToList();
            var byPath = new Dictionary<string, List<(string Host, DriftChange Change)>>(StringComparer.Ordinal);
            foreach (var other in others)
            {
                foreach (var change in await pairs.GetAsync(reference, other, cancellationToken).ConfigureAwait(false))
                {
                    (byPath.TryGetValue(change.Path, out var list) ? list : byPath[change.Path] = []).Add((other, change));
                }
            }

            foreach (var (path, found) in byPath.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (found.Count == 1)
                {
                    Add(found[0].Host, found[0].Change, members.Where(m => m != found[0].Host).ToList());
                }
                else if (found.Count == others.Count && found.Select(f => Key(f.Change)).Distinct(StringComparer.Ordinal).Count() == 1)
                {
                    // Every other host agrees on a value the reference does not hold: the reference is the outlier.
                    var reverse = (await pairs.GetAsync(others[0], reference, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Path == path);
                    if (reverse is not null)
                    {
                        Add(reference, reverse, others);
                    }
                }
            }

            void Add(string host, DriftChange change, List<string> siblings)
            {
                if (seen.Add(host + "\0" + Key(change)))
                {
                    outliers.Add(new FleetOutlier(host, group, change, siblings));
                }
            }
        }

        return outliers.OrderByDescending(o => o.Change.Severity).ThenBy(o => o.Host, StringComparer.Ordinal).ThenBy(o => o.Change.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Identical changes merged: one entry per change with the hosts that have it and those compared that do not.</summary>
    private static List<SharedChange> Share(IEnumerable<(string Host, DriftChange Change)> changes, IReadOnlyList<string> compared, Dictionary<string, int> order)
    {
        var merged = new Dictionary<string, (DriftChange Change, List<string> Hosts)>(StringComparer.Ordinal);
        foreach (var (host, change) in changes)
        {
            var key = Key(change);
            if (!merged.TryGetValue(key, out var entry))
            {
                merged[key] = entry = (change, []);
            }

            entry.Hosts.Add(host);
        }

        return merged.Values
            .Select(m => new SharedChange(m.Change, m.Hosts.OrderBy(h => order[h]).ToList(), compared.Except(m.Hosts, StringComparer.Ordinal).OrderBy(h => order[h]).ToList()))
            .OrderByDescending(s => s.Change.Severity).ThenByDescending(s => s.Hosts.Count).ThenBy(s => s.Change.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What makes two changes the same: the path, the kind, and the values before and after (canonical JSON, so equal text is equal value).</summary>
    internal static string Key(DriftChange change) =>
        string.Join('\0', EnumNames.Of(change.Kind), change.Path, Raw(change.OldValue), Raw(change.NewValue));

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "" : value.GetRawText();

    /// <summary>Changes that no longer hold their snapshot's document alive: only the values they name are kept.</summary>
    private static List<DriftChange> Detached(IReadOnlyList<DriftChange> changes) =>
        changes.Select(c => c with { OldValue = Clone(c.OldValue), NewValue = Clone(c.NewValue) }).ToList();

    private static JsonElement Clone(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? default : value.Clone();

    /// <summary>Diffs between two hosts' latest snapshots, each pair computed once.</summary>
    private sealed class PairDiffs(List<FleetHostResult> succeeded, DriftRules rules)
    {
        private readonly Dictionary<(string, string), IReadOnlyList<DriftChange>> known = [];

        public async Task<IReadOnlyList<DriftChange>> GetAsync(string from, string to, CancellationToken cancellationToken)
        {
            if (!known.TryGetValue((from, to), out var changes))
            {
                known[(from, to)] = changes = Detached((await SnapshotDiffer.CompareAsync(Path(from), Path(to), rules, cancellationToken: cancellationToken).ConfigureAwait(false)).Changes);
            }

            return changes;
        }

        private string Path(string host) => succeeded.First(r => r.Host.Name == host).SnapshotPath!;
    }
}
