using System.Text;
using InfraDiff.Reporting;

namespace InfraDiff.Monitoring;

/// <summary>A watch store's cycles as one self-contained HTML page (the store view): a timeline, changes per category and day, and each cycle that alerted.</summary>
public static class StoreReport
{
    /// <summary>The page for <paramref name="records"/>, oldest first, of the store at <paramref name="store"/>.</summary>
    public static byte[] Html(string store, IReadOnlyList<CycleRecord> records)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(records);
        var reports = new List<Dictionary<string, object?>>();
        var cycles = new List<Dictionary<string, object?>>();
        var alerted = records.Count(r => r.Report is not null);
        foreach (var record in records)
        {
            var index = -1;
            if (record.Report is { } report)
            {
                index = reports.Count;
                reports.Add(HtmlFormat.Data(ReportView.Of(report), HtmlFormat.DataBudget / Math.Max(1, alerted)));
            }

            cycles.Add(new Dictionary<string, object?>
            {
                ["t"] = ReportView.Time(record.Time),
                ["d"] = record.DurationSeconds,
                ["c"] = record.Counts,
                ["cat"] = record.Report?.Summary.ToDictionary(s => s.Key, s => s.Value.Added + s.Value.Removed + s.Value.Changed) ?? new Dictionary<string, int>(),
                ["a"] = record.Alerted,
                ["s"] = record.Stored,
                ["r"] = index,
                ["first"] = record.Counts.Count == 0,
                ["b"] = record.Baseline,
            });
        }

        var gaps = records.Zip(records.Skip(1), (a, b) => (b.Time - a.Time).TotalSeconds).Order().ToList();
        var hosts = string.Join(", ", records.Select(r => r.Host).Distinct());
        var summary = records.Count == 0 ? $"{store}: no cycles"
            : $"{hosts}: {records.Count:N0} cycles from {ReportView.Time(records[0].Time)} to {ReportView.Time(records[^1].Time)}, {alerted:N0} with drift alerted";
        return Encoding.UTF8.GetBytes(HtmlFormat.Page($"infradiff history: {summary}", new Dictionary<string, object?>
        {
            ["kind"] = "history",
            ["summary"] = summary,
            ["interval"] = gaps.Count == 0 ? 300 : gaps[gaps.Count / 2],
            ["cycles"] = cycles,
            ["reports"] = reports,
        }));
    }
}
