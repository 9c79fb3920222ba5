using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>What changed between two snapshots: the changes with severity and summary, sections that could not be compared, and the RFC 6902 patch.</summary>
public sealed record DriftReport
{
    /// <summary>The earlier snapshot's host and time.</summary>
    public required SnapshotIdentity Before { get; init; }

    /// <summary>The later snapshot's host and time.</summary>
    public required SnapshotIdentity After { get; init; }

    /// <summary>Added, removed and changed counts per category (section).</summary>
    public required IReadOnlyDictionary<string, CategorySummary> Summary { get; init; }

    /// <summary>Every change, in patch order.</summary>
    public required IReadOnlyList<DriftChange> Changes { get; init; }

    /// <summary>Changes a waiver let through, in patch order: not in <see cref="Changes"/>, nor in the patch, nor alerted; every report shows them apart.</summary>
    public IReadOnlyList<WaivedChange> Waived { get; init; } = [];

    /// <summary>Sections present on one side only because a collector did not succeed: not compared, not guessed.</summary>
    public required IReadOnlyList<UnknownSection> Unknown { get; init; }

    /// <summary>The sections present in both snapshots, so compared (some of their parts may still be in <see cref="Unknown"/>).</summary>
    public IReadOnlyList<string> Compared { get; init; } = [];

    /// <summary>How many changes were left out for being below the minimum severity (<see cref="DriftRules.MinimumSeverity"/>): a report says it hides them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int BelowMinimum { get; init; }

    /// <summary>Things the reader should know about the rules themselves (an expired ignore rule).</summary>
    public required IReadOnlyList<string> Notices { get; init; }

    /// <summary>
    /// Paths created and deleted again between two cycles, seen only by real-time watching: in no snapshot, so not in
    /// the patch and nothing to accept, yet told and alerted (an intruder's tool that cleaned up after itself).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<DriftChange> Transient { get; init; } = [];

    /// <summary>Which kind of watch cycle found the changes ("targeted: 3 paths written", "full"); null outside a watch.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cycle { get; init; }

    /// <summary>Whether anything drifted.</summary>
    public bool HasDrift => Changes.Count > 0 || Transient.Count > 0;

    /// <summary>
    /// The RFC 6902 patch: applied in order to the earlier snapshot, it yields the later one (metadata, ignored and waived
    /// paths, unknown sections and changes below the minimum severity aside). Each replace and remove is preceded
    /// by a test of the old value.
    /// </summary>
    /// <remarks>Built from <see cref="Changes"/> on each call (a copy made with <c>with</c> never carries a stale patch): keep the result rather than call it twice.</remarks>
    public IReadOnlyList<PatchOperation> ToPatch() => JsonPatch.From(Changes.Select(c => new JsonChange(c.Kind, c.Path, c.OldValue, c.NewValue)));

    /// <summary>The patch as the JSON report carries it.</summary>
    [JsonInclude]
    [JsonPropertyName("patch")]
    private IReadOnlyList<PatchOperation> PatchForJson => ToPatch();

    private static readonly JsonSerializerOptions ReadOptions = new(SnapshotJson.Options) { AllowDuplicateProperties = false };

    /// <summary>Reads a report written as JSON (<c>infradiff diff --format json</c>, or serialized with <see cref="SnapshotJson.Options"/>).</summary>
    /// <exception cref="InfraDiffException">The file cannot be read, or is not a drift report; the message names it and says why.</exception>
    public static async Task<DriftReport> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var bytes = await InputFile.ReadAllBytesAsync(path, InputFile.DocumentLimit, cancellationToken).ConfigureAwait(false);
            var report = JsonSerializer.Deserialize<DriftReport>(bytes, ReadOptions) ?? throw new JsonException("the report is null");
            if (report.Before is null || report.After is null || report.Changes is null || report.Summary is null)
            {
                throw new JsonException("before, after, summary and changes are required");
            }

            return report;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfraDiffException($"{path}: {FileProblem.Describe(ex)}", ex);
        }
        catch (JsonException ex)
        {
            throw new InfraDiffException($"{path}: not a drift report{JsonCheck.Where(ex)} ({ex.Message.Split(" Path:")[0]})");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new InfraDiffException($"{path}: not a drift report ({ex.Message})");
        }
    }
}
