using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// infradiff's own webhook body (README "The generic body", schema <see cref="SchemaVersion"/>): host, time, counts,
/// every change, the RFC 6902 patch, the store journal's head. Past its budget the change list is cut (most severe
/// kept), the patch left out, and "truncated" set.
/// </summary>
internal sealed class GenericFormat() : OnePieceFormat("generic", "application/json", "infradiff's own webhook body: counts, every change and the patch, within 256 KB")
{
    /// <summary>The default cap of a generic body.</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    /// <summary>The least a generic body may be given: room for the host, the totals and a few changes.</summary>
    public const int MinimumBytes = 4 * 1024;

    /// <summary>The version of the generic body's schema (README: "The generic body").</summary>
    public const int SchemaVersion = 1;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(Body(alert, Math.Max(MinimumBytes, options.Budget ?? DefaultMaxBytes)), SnapshotJson.Options);

    private static JsonObject Body(DriftAlert alert, int maxBytes)
    {
        var report = alert.Report;

        // A transient path (created and deleted between cycles, seen in real time) is a change with "transient": true, in no patch.
        IReadOnlyList<DriftChange> all = report.Transient.Count == 0 ? report.Changes : [.. report.Changes, .. report.Transient];
        var changes = all.Select(c =>
        {
            var change = new JsonObject
            {
                ["id"] = c.Id,
                ["category"] = c.Category,
                ["op"] = JsonSerializer.SerializeToNode(c.Kind, SnapshotJson.Options),
                ["path"] = c.Path,
                ["severity"] = EnumNames.Of(c.Severity),
                ["summary"] = c.Summary,
            };
            if (c.ExplainedBy is not null)
            {
                change["explainedBy"] = c.ExplainedBy;
            }

            if (c.ToldWith is not null)
            {
                change["toldWith"] = c.ToldWith;
            }

            if (c.By is not null)
            {
                change["by"] = JsonSerializer.SerializeToNode(c.By, SnapshotJson.Options);
            }

            if (report.Transient.Contains(c))
            {
                change["transient"] = true;
            }

            return change;
        }).ToList();
        var body = new JsonObject
        {
            ["version"] = SchemaVersion,
            ["heartbeat"] = alert.Heartbeat,
            ["idempotencyKey"] = alert.IdempotencyKey,
            ["host"] = alert.Host,
            ["time"] = JsonSerializer.SerializeToNode(alert.Time, SnapshotJson.Options),
            ["summary"] = JsonSerializer.SerializeToNode(report.Summary, SnapshotJson.Options),
            ["totals"] = new JsonObject
            {
                ["changes"] = all.Count,
                ["waived"] = report.Waived.Count,
                ["bySeverity"] = new JsonObject([.. Enum.GetValues<Severity>().Reverse().Select(s => KeyValuePair.Create(EnumNames.Of(s), (JsonNode?)all.Count(c => c.Severity == s)))]),
            },
            ["unknown"] = JsonSerializer.SerializeToNode(report.Unknown, SnapshotJson.Options),
            ["notices"] = new JsonArray([.. report.Notices.Select(n => (JsonNode)n)]),
            ["journal"] = alert.Journal is { } journal ? new JsonObject { ["sequence"] = journal.Sequence, ["head"] = journal.Head } : null,
            ["truncated"] = false,
            ["changes"] = new JsonArray([.. changes]),
            ["patch"] = JsonSerializer.SerializeToNode(report.ToPatch(), SnapshotJson.Options),
        };
        if (report.Cycle is { } cycle)
        {
            // Which kind of watch cycle found the changes: "targeted (1 path changed)", "full".
            body.Insert(body.IndexOf("summary"), "cycle", cycle);
        }

        if (JsonSerializer.SerializeToUtf8Bytes(body, SnapshotJson.Options).Length <= maxBytes)
        {
            return body;
        }

        // Too large: the most severe changes that fit, no patch, and a flag that tells a receiver to fetch the report.
        body["patch"] = null;
        body["truncated"] = true;
        body["changes"] = new JsonArray();
        var budget = maxBytes - JsonSerializer.SerializeToUtf8Bytes(body, SnapshotJson.Options).Length;
        var kept = new JsonArray();
        foreach (var (change, severity) in changes.Zip(all.Select(c => c.Severity)).OrderByDescending(p => p.Second).Select(p => (p.First, p.Second)))
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(change, SnapshotJson.Options).Length + 1;
            if (size > budget)
            {
                break;
            }

            budget -= size;
            kept.Add(change.DeepClone());
        }

        body["changes"] = kept;
        return body;
    }
}
