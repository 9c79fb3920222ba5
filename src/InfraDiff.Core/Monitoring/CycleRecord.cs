using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// What one watch cycle saw, kept in the store's <c>reports/</c> folder (like the seed's diff files): when, how long,
/// which snapshot stands for it, the counts by severity, and the drift report itself when something drifted.
/// </summary>
/// <param name="Time">When the cycle's snapshot was taken.</param>
/// <param name="Host">The host it was taken on.</param>
/// <param name="DurationSeconds">How long the cycle took.</param>
/// <param name="Snapshot">The stored snapshot file that holds this cycle's state (an earlier one when nothing changed).</param>
/// <param name="Stored">Whether this cycle stored a snapshot of its own; false when it was identical to <paramref name="Snapshot"/> outside metadata.</param>
/// <param name="Digest">The SHA-256 of the snapshot outside its time and durations: equal digests, equal state.</param>
/// <param name="Counts">Changes by severity (critical, high, medium, low); empty for the first cycle.</param>
/// <param name="NotCompared">Sections or parts that could not be compared.</param>
/// <param name="Alerted">Whether the cycle queued a drift alert.</param>
/// <param name="Report">The drift report when the cycle alerted on it (against the baseline, a drift that persists is kept when it is alerted again); null otherwise.</param>
public sealed record CycleRecord(
    DateTimeOffset Time,
    string Host,
    double DurationSeconds,
    string Snapshot,
    bool Stored,
    string Digest,
    IReadOnlyDictionary<string, int> Counts,
    int NotCompared,
    bool Alerted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DriftReport? Report)
{
    /// <summary>Whether this cycle wrote the baseline (the first against it, or after --reset-baseline).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Baseline { get; init; }

    /// <summary>The total of <see cref="Counts"/>.</summary>
    [JsonIgnore]
    public int Changes => Counts.Values.Sum();

    /// <summary>The digest of a snapshot's state: its canonical bytes with the time it was taken and the collectors' durations left out.</summary>
    public static string DigestOf(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var timeless = snapshot with
        {
            Metadata = snapshot.Metadata with
            {
                TakenAt = default,
                Collectors = snapshot.Metadata.Collectors.ToDictionary(c => c.Key, c => c.Value with { DurationMs = null }, StringComparer.Ordinal),
            },
            Sections = new Dictionary<string, JsonElement>(),
        };

        // Each section's canonical text is hashed where it is: a section its collector wrote canonical (the files
        // section, 150 MB on a large host) is neither serialized again nor copied.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(SnapshotJson.CanonicalText(timeless).Span);
        foreach (var name in snapshot.Sections.Keys.Order(StringComparer.Ordinal))
        {
            var text = SnapshotJson.SectionText(snapshot.Sections[name]);
            hash.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"\n{name}\n{text.Length}\n")));
            hash.AppendData(text);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
