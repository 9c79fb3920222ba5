using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Diffing;
using InfraDiff.Sections;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// Drift as Elastic Common Schema records, one JSON object a line (ECS <see cref="Version"/>): one per change
/// (<c>event.kind</c> "event", or "alert" for the store's own alerts; <c>event.category</c> from the section's
/// <see cref="SectionDescriptor.EcsCategory"/>; the thing's name in the field its noun names, e.g. <c>file.path</c>;
/// <c>process.*</c> and <c>user.*</c> when who made it was read), then one for the report (or the heartbeat) with
/// the counts. What ECS has no field for is under <c>infradiff.*</c>.
/// </summary>
internal sealed class EcsFormat() : OnePieceFormat("ecs", "application/x-ndjson", "Elastic Common Schema records for a SIEM, one JSON object a line: one per change, then one for the report")
{
    /// <summary>The ECS version the records follow.</summary>
    public const string Version = "8.11.0";

    private static readonly SectionCatalog Sections = new([]);

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) =>
        [.. Records(alert).SelectMany(r => (byte[])[.. r.Json, (byte)'\n'])];

    /// <summary>Each record with its syslog severity (RFC 5424: 2 critical, 3 error, 4 warning, 5 notice, 6 informational).</summary>
    public static IEnumerable<(byte[] Json, int SyslogSeverity, string Kind)> Records(DriftAlert alert)
    {
        var report = alert.Report;
        IReadOnlyList<DriftChange> all = report.Transient.Count == 0 ? report.Changes : [.. report.Changes, .. report.Transient];
        foreach (var change in all)
        {
            yield return (Serialize(Change(alert, change, report.Transient.Contains(change))), SyslogSeverity(change.Severity), change.Category == "store" ? "store" : "change");
        }

        var view = ReportView.Of(report);
        var summary = Record(alert, alert.Heartbeat ? "state" : "event", "configuration", "info", alert.Heartbeat ? "heartbeat" : "drift-report", alert.IdempotencyKey, view.SummaryLine);
        summary["infradiff"] = new JsonObject
        {
            ["changes"] = new JsonObject(ReportView.Severities.Select(s => KeyValuePair.Create(EnumNames.Of(s), (JsonNode?)report.Changes.Count(c => c.Severity == s)))),
            ["alert_key"] = alert.IdempotencyKey,
            ["journal_head"] = alert.Journal?.Head,
            ["cycle"] = report.Cycle,
        };
        yield return (Serialize(summary), 6, alert.Heartbeat ? "heartbeat" : "report");
    }

    private static JsonObject Change(DriftAlert alert, DriftChange change, bool transient)
    {
        var section = Sections[change.Category];
        var keys = JsonPointer.Parse(change.Path);
        var type = change.Kind switch { ChangeKind.Add => "creation", ChangeKind.Remove => "deletion", _ => "change" };
        var record = Record(alert, change.Category == "store" ? "alert" : "event", section.EcsCategory, type, $"{change.Category}-{type}", $"{alert.IdempotencyKey}-{change.Id}", change.Summary);
        record["event"]!["severity"] = (int)change.Severity + 1;
        record["log"] = new JsonObject { ["level"] = EnumNames.Of(change.Severity) };
        var (noun, name) = keys.Count > 1 ? ChangeDescriber.Thing(section, keys.Skip(1).ToList()) : (null, null);
        if (noun?.EcsField is { } field && name is not null)
        {
            Set(record, field, name);
        }

        if (change.By is { } by)
        {
            if (by.Pid is { } pid)
            {
                var process = new JsonObject { ["pid"] = pid, ["executable"] = by.Executable, ["command_line"] = by.CommandLine };
                if (by.Uid is { } uid)
                {
                    process["user"] = new JsonObject { ["id"] = uid.ToString(CultureInfo.InvariantCulture), ["name"] = by.User };
                }

                record["process"] = process;
            }

            if (by.LoginUid is { } login)
            {
                Set(record, "user.id", login.ToString(CultureInfo.InvariantCulture));
                if (by.LoginUser is { } loginUser)
                {
                    Set(record, "user.name", loginUser);
                }
            }
        }

        record["infradiff"] = new JsonObject
        {
            ["change_id"] = change.Id,
            ["section"] = change.Category,
            ["pointer"] = change.Path,
            ["op"] = JsonSerializer.SerializeToNode(change.Kind, SnapshotJson.Options),
            ["severity"] = EnumNames.Of(change.Severity),
            ["thing"] = name,
            ["explained_by"] = change.ExplainedBy,
            ["told_with"] = change.ToldWith,
            ["transient"] = transient ? true : null,
            ["by_unknown"] = change.By?.Unknown,
            ["package_manager"] = change.By?.PackageManager,
            ["alert_key"] = alert.IdempotencyKey,
            ["cycle"] = alert.Report.Cycle,
        };
        return record;
    }

    private static JsonObject Record(DriftAlert alert, string kind, string category, string type, string action, string id, string message) => new()
    {
        ["@timestamp"] = alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["ecs"] = new JsonObject { ["version"] = Version },
        ["message"] = message,
        ["event"] = new JsonObject
        {
            ["kind"] = kind,
            ["category"] = new JsonArray(category),
            ["type"] = new JsonArray(type),
            ["action"] = action,
            ["id"] = id,
            ["module"] = "infradiff",
            ["dataset"] = "infradiff.drift",
        },
        ["host"] = new JsonObject { ["name"] = alert.Host },
    };

    /// <summary>Sets a dotted ECS field ("user.target.name") as nested objects.</summary>
    private static void Set(JsonObject record, string field, string value)
    {
        var names = field.Split('.');
        var node = record;
        foreach (var name in names[..^1])
        {
            node = node[name] as JsonObject ?? (JsonObject)(node[name] = new JsonObject());
        }

        node[names[^1]] = value;
    }

    /// <summary>Compact, nulls left out: a record carries only what is known.</summary>
    private static byte[] Serialize(JsonObject record)
    {
        Prune(record);
        return JsonSerializer.SerializeToUtf8Bytes(record, Compact);
    }

    private static void Prune(JsonObject node)
    {
        foreach (var (name, value) in node.ToList())
        {
            if (value is null)
            {
                node.Remove(name);
            }
            else if (value is JsonObject inner)
            {
                Prune(inner);
            }
        }
    }

    private static readonly JsonSerializerOptions Compact = new(SnapshotJson.Options) { WriteIndented = false };

    private static int SyslogSeverity(Severity severity) => severity switch
    {
        Severity.Critical => 2,
        Severity.High => 3,
        Severity.Medium => 4,
        _ => 5,
    };
}
