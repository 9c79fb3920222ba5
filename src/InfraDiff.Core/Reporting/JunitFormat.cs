using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// A drift report as JUnit XML, the test report every CI system shows: one test suite per category, a failed test
/// case per report line (a package's explained file changes are one line, as in the text report), one passing case
/// for a compared category without drift, and a skipped case per reason a part was not compared.
/// Unchanged entities are not listed one by one: a report of every unchanged file would be the size of a snapshot.
/// </summary>
internal sealed class JunitFormat : IReportFormat
{
    private const int ValueLength = 4_000;

    public string Name => "junit";

    public string MediaType => "application/xml";

    public string Description => "JUnit XML: a test suite per category, a failed case per change, for CI test reports";

    public async Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(output);
        var view = ReportView.Of(alert.Report);
        var report = view.Report;
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var suites = Suites(view).ToList();
        var writer = XmlWriter.Create(output, settings);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteStartDocumentAsync().ConfigureAwait(false);
            await writer.WriteStartElementAsync(null, "testsuites", null).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "name", null, "infradiff").ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "tests", null, Number(suites.Sum(s => s.Cases.Count))).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "failures", null, Number(suites.Sum(s => s.Failures))).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "errors", null, "0").ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "time", null, "0").ConfigureAwait(false);
            var first = true;
            foreach (var suite in suites)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteSuiteAsync(writer, view, suite, first ? report.Notices : []).ConfigureAwait(false);
                first = false;
            }

            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndDocumentAsync().ConfigureAwait(false);
            await writer.FlushAsync().ConfigureAwait(false);
        }

        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Case(string Name, string? FailureType, string? Message, string? Body, bool Skipped);

    private sealed record Suite(string Category, List<Case> Cases)
    {
        public int Failures => Cases.Count(c => c.FailureType is not null);

        public int Skipped => Cases.Count(c => c.Skipped);
    }

    /// <summary>Every category with lines, then every other compared or not compared one, the one with the most severe change first.</summary>
    private static IEnumerable<Suite> Suites(ReportView view)
    {
        var report = view.Report;
        var changed = report.Changes.Select(c => c.Category).ToHashSet(StringComparer.Ordinal);
        var quiet = report.Compared.Concat(report.Unknown.Select(u => u.Category)).Concat(report.Waived.Select(w => w.Change.Category))
            .Where(c => !changed.Contains(c))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var category in view.Categories)
        {
            yield return new Suite(category.Name, [.. FailedCases(category.Lines), .. SkippedCases(report, category.Name)]);
        }

        foreach (var category in quiet)
        {
            var skipped = SkippedCases(report, category).ToList();
            var whole = report.Unknown.Any(u => u.Category == category && u.Part is null);
            yield return new Suite(category, whole ? skipped : [new Case($"{category}: no drift", null, null, null, Skipped: false), .. skipped]);
        }
    }

    private static IEnumerable<Case> FailedCases(IReadOnlyList<ReportLine> lines)
    {
        foreach (var line in lines)
        {
            var change = line.Change;
            // Test names are what CI systems key results by: the change's id makes each one's its own, run after run.
            var name = $"{change.Id} {line.Summary}";
            var severity = EnumNames.Of(change.Severity);
            yield return new Case(name, severity, $"[{severity}] {line.Summary}", Body(line), Skipped: false);
        }
    }

    /// <summary>A skipped case per reason the category's parts (or the whole category) were not compared, and per change a waiver let through, with its reason.</summary>
    private static IEnumerable<Case> SkippedCases(DriftReport report, string category) =>
        report.Unknown.Where(u => u.Category == category).GroupBy(u => u.Reason, StringComparer.Ordinal)
            .Select(g => new Case(
                g.Any(u => u.Part is null) ? $"{category}: not compared" : $"{category} {string.Join(", ", g.Select(u => u.Part))}: not compared",
                null,
                g.Key,
                null,
                Skipped: true))
            .Concat(report.Waived.Where(w => w.Change.Category == category)
                .Select(w => new Case($"{w.Change.Id} {w.Change.Summary}", null, ReportView.WaivedBecause(w.Waiver), null, Skipped: true)));

    /// <summary>What a person opening the failure reads: severity, what happened where, and the values either side; one line each, whatever the host text.</summary>
    private static string Body(ReportLine line)
    {
        var change = line.Change;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"severity: {EnumNames.Of(change.Severity)}\n");
        body.Append(CultureInfo.InvariantCulture, $"change: {ReportView.Verb(change.Kind)}\n");
        if (change.ExplainedBy is { } package)
        {
            body.Append(CultureInfo.InvariantCulture, $"explained by: {Line(package)}\n");
            body.Append(CultureInfo.InvariantCulture, $"path: {Line(change.Path)}");
            body.Append(line.Count > 1 ? $" and {line.Count - 1:N0} more of the package's files\n" : "\n");
            return body.ToString();
        }

        body.Append(CultureInfo.InvariantCulture, $"path: {Line(change.Path)}\n");
        if (change.OldValue.ValueKind != JsonValueKind.Undefined)
        {
            body.Append(CultureInfo.InvariantCulture, $"old: {Value(change.OldValue)}\n");
        }

        if (change.NewValue.ValueKind != JsonValueKind.Undefined)
        {
            body.Append(CultureInfo.InvariantCulture, $"new: {Value(change.NewValue)}\n");
        }

        if (line.Explained.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"with: {line.Explained.Count:N0} changes of the package's files, e.g. {Line(line.Explained[0].Path)}\n");
        }

        return body.ToString();
    }

    private static async Task WriteSuiteAsync(XmlWriter writer, ReportView view, Suite suite, IReadOnlyList<string> notices)
    {
        var report = view.Report;
        await writer.WriteStartElementAsync(null, "testsuite", null).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "name", null, Line(suite.Category)).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "tests", null, Number(suite.Cases.Count)).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "failures", null, Number(suite.Failures)).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "errors", null, "0").ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "skipped", null, Number(suite.Skipped)).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "time", null, "0").ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "timestamp", null, ReportView.Time(report.After.TakenAt)).ConfigureAwait(false);
        await writer.WriteAttributeStringAsync(null, "hostname", null, Line(report.After.Host)).ConfigureAwait(false);

        await writer.WriteStartElementAsync(null, "properties", null).ConfigureAwait(false);
        var properties = new List<(string, string)>
        {
            ("infradiff.before.host", report.Before.Host),
            ("infradiff.before.takenAt", ReportView.Time(report.Before.TakenAt)),
            ("infradiff.after.host", report.After.Host),
            ("infradiff.after.takenAt", ReportView.Time(report.After.TakenAt)),
            ("infradiff.summary", view.SummaryLine),
        };
        properties.AddRange(notices.Select(n => ("infradiff.notice", n)));
        foreach (var (name, value) in properties)
        {
            await writer.WriteStartElementAsync(null, "property", null).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "name", null, name).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "value", null, Line(value)).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
        foreach (var @case in suite.Cases)
        {
            await writer.WriteStartElementAsync(null, "testcase", null).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "classname", null, "infradiff." + Line(suite.Category)).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "name", null, Line(@case.Name)).ConfigureAwait(false);
            await writer.WriteAttributeStringAsync(null, "time", null, "0").ConfigureAwait(false);
            if (@case.FailureType is { } type)
            {
                await writer.WriteStartElementAsync(null, "failure", null).ConfigureAwait(false);
                await writer.WriteAttributeStringAsync(null, "type", null, type).ConfigureAwait(false);
                await writer.WriteAttributeStringAsync(null, "message", null, Line(@case.Message!)).ConfigureAwait(false);
                await writer.WriteStringAsync(@case.Body).ConfigureAwait(false);
                await writer.WriteEndElementAsync().ConfigureAwait(false);
            }
            else if (@case.Skipped)
            {
                await writer.WriteStartElementAsync(null, "skipped", null).ConfigureAwait(false);
                await writer.WriteAttributeStringAsync(null, "message", null, Line(@case.Message!)).ConfigureAwait(false);
                await writer.WriteEndElementAsync().ConfigureAwait(false);
            }

            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }

        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }

    /// <summary>A value as one line of JSON, cut at <see cref="ValueLength"/> characters.</summary>
    private static string Value(JsonElement value) => Excerpt.Cut(JsonSerializer.Serialize(value, SnapshotJson.Options), ValueLength);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Host text on one line, each character XML 1.0 cannot carry, or that would act on a viewer, written as a visible escape.</summary>
    private static string Line(string text) => HostText.Visible(text);
}
