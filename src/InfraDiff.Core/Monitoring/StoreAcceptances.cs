using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// A watch store's acceptances: a change accepted into the baseline (its exact new value written in, so the same
/// change stops alerting and another value at its path alerts again), or acknowledged where the store compares each
/// snapshot with the previous one. Kept in the store's journalled <c>acceptances.json</c>: one edited or forged is
/// quarantined and alerted like any other store file.
/// </summary>
public sealed class StoreAcceptances
{
    /// <summary>How long an acceptance waits for a watch cycle under way to finish: 10 minutes.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    private readonly SnapshotStore store;

    internal StoreAcceptances(SnapshotStore store) => this.store = store;

    /// <summary>Every acceptance, oldest first; none when the file is not there, or was quarantined (edited, forged).</summary>
    public async Task<IReadOnlyList<Acceptance>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (await store.ReadTrustedAsync(store.AcceptancesPath, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<Acceptance>>(bytes, SnapshotJson.Options) ?? throw new JsonException("the list is null");
        }
        catch (JsonException ex)
        {
            store.Quarantine(store.AcceptancesPath, $"unreadable acceptances: {ex.Message.Split(" Path:")[0]}");
            return [];
        }
    }

    /// <summary>The drift of the newest stored snapshot from the baseline (without waivers, at every severity), with both; null when the store has no baseline or no snapshot.</summary>
    public async Task<(Snapshot Baseline, Snapshot Latest, DriftReport Drift)?> BaselineDriftAsync(DriftRules rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (await store.BaselineAsync(cancellationToken).ConfigureAwait(false) is not { } baseline
            || await store.LatestAsync(cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return null;
        }

        return (baseline, latest, SnapshotDiffer.Compare(baseline, latest, DriftAcceptance.Everything(rules)));
    }

    /// <summary>
    /// The changes the store alerted on that nobody accepted or acknowledged, one per id (its latest alert), most
    /// severe first, each with when it was alerted. An acceptance of "all" covers what was alerted up to it.
    /// </summary>
    public async Task<IReadOnlyList<(DriftChange Change, DateTimeOffset AlertedAt)>> UnacknowledgedAsync(CancellationToken cancellationToken = default) =>
        Unacknowledged(await ReadAsync(cancellationToken).ConfigureAwait(false), await AlertedAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Accepts the changes <paramref name="ids"/> name (every one when null): each in the drift from the baseline is
    /// written into the baseline; each the store alerted on otherwise is acknowledged. Journalled; waits up to
    /// <see cref="Wait"/> for a watch cycle under way.
    /// </summary>
    /// <returns>The acceptances recorded.</returns>
    /// <exception cref="InfraDiffException">An id names no change in the drift nor among the unacknowledged ones (nothing is recorded), or nothing is left to accept.</exception>
    public async Task<IReadOnlyList<Acceptance>> AcceptAsync(IReadOnlyCollection<string>? ids, string reason, string by, DriftRules rules, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        using var hold = store.Hold(Wait);
        var at = (clock ?? TimeProvider.System).GetUtcNow();
        var existing = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var current = await BaselineDriftAsync(rules, cancellationToken).ConfigureAwait(false);
        var unacknowledged = Unacknowledged(existing, await AlertedAsync(cancellationToken).ConfigureAwait(false));
        if (store.TakeQuarantined() is { Count: > 0 } untrusted)
        {
            // Accepting on top of an edited record, or against a forged baseline, would make the forgery count.
            throw new InfraDiffException($"{string.Join("; ", untrusted.Select(f => $"{f.Name}: {f.Reason}"))}; moved to {store.QuarantineDirectory}, nothing accepted (infradiff verify --dir {store.Directory} tells more)");
        }

        var accepted = new List<Acceptance>();
        Snapshot? newBaseline = null;
        if (current is var (baseline, latest, drift))
        {
            var (moved, records, _) = DriftAcceptance.Accept(baseline, latest, drift, ids, reason, by, at);
            accepted.AddRange(records);
            newBaseline = records.Count > 0 ? moved : null;
        }

        var inBaseline = accepted.Select(a => a.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (ids is null)
        {
            if (unacknowledged.Count > 0)
            {
                var changes = unacknowledged.Select(u => u.Change).ToList();
                accepted.Add(new Acceptance(Acceptance.All, "", ChangeKind.Replace, changes.Max(c => c.Severity), DriftAcceptance.CountsOf(changes), reason, by, at) { Changes = changes.Count, Action = AcceptanceAction.Acknowledged });
            }

            if (accepted.Count == 0)
            {
                throw new InfraDiffException($"{store.Directory}: nothing to accept (no drift from the baseline, and every change alerted was acknowledged)");
            }
        }
        else
        {
            foreach (var id in ids.Where(i => !inBaseline.Contains(i)).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (unacknowledged.FirstOrDefault(u => string.Equals(u.Change.Id, id, StringComparison.OrdinalIgnoreCase)).Change is not { } change)
                {
                    throw new InfraDiffException($"{id}: no change with this id in {store.Directory}'s current drift{(current is null ? "" : " from its baseline")} nor among its unacknowledged changes (infradiff history --dir {store.Directory} --unacknowledged lists them)");
                }

                accepted.Add(new Acceptance(change.Id, change.Path, change.Kind, change.Severity, change.Summary, reason, by, at) { Value = change.NewValue, Action = AcceptanceAction.Acknowledged });
            }
        }

        // The baseline first: a crash before the acceptances are written leaves the baseline moved and the record
        // missing, which the journal still tells (its note names the acceptance); never a record without its move.
        var note = $"accepted by {by}: {string.Join(' ', accepted.Select(a => a.Id))}: {reason}";
        if (newBaseline is not null)
        {
            await store.WriteSnapshotAsync(store.BaselinePath, SnapshotJson.CanonicalText(newBaseline), CancellationToken.None, note).ConfigureAwait(false);
        }

        await store.WriteFileAsync(store.AcceptancesPath, JsonSerializer.SerializeToUtf8Bytes(existing.Concat(accepted).ToList(), SnapshotJson.Options), CancellationToken.None, note).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Every change in a stored alert, with when the alert was made, oldest first.</summary>
    private async Task<List<(DriftChange Change, DateTimeOffset AlertedAt)>> AlertedAsync(CancellationToken cancellationToken)
    {
        var alerted = new List<(DriftChange, DateTimeOffset)>();
        foreach (var file in store.CycleFiles())
        {
            if (await store.ReadTrustedAsync(file, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            CycleRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<CycleRecord>(bytes, SnapshotJson.Options);
            }
            catch (JsonException)
            {
                continue;
            }

            if (record is { Alerted: true, Report: { } report })
            {
                alerted.AddRange(DriftAcceptance.Leads(report).Select(c => (c, record.Time)));
            }
        }

        return alerted;
    }

    private static List<(DriftChange Change, DateTimeOffset AlertedAt)> Unacknowledged(IReadOnlyList<Acceptance> acceptances, List<(DriftChange Change, DateTimeOffset AlertedAt)> alerted)
    {
        var done = acceptances.Where(a => a.Id != Acceptance.All).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var allUpTo = acceptances.Where(a => a.Id == Acceptance.All).Select(a => (DateTimeOffset?)a.At).Max();
        return [.. alerted
            .Where(a => !done.Contains(a.Change.Id) && (allUpTo is not { } upTo || a.AlertedAt > upTo))
            .GroupBy(a => a.Change.Id, StringComparer.Ordinal)
            .Select(g => g.MaxBy(a => a.AlertedAt))
            .OrderByDescending(a => a.Change.Severity)
            .ThenBy(a => a.AlertedAt)];
    }
}
