using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using InfraDiff.Diffing;

namespace InfraDiff.Cli.Rendering;

/// <summary>
/// A drift report as JUnit XML, the test report every CI system shows: one test suite per category, a failed test
/// case per change line (a package's explained file changes are one line, as in the text report), one passing case
/// for a compared category without drift, and a skipped case per part that was not compared, with the reason.
/// Unchanged entities are not listed one by one: a report of every unchanged file would be the size of a snapshot.
/// </summary>
internal static class JunitReport
{
    private const int ValueLength = 4_000;
    private const int PathsListed = 20;

    public static async Task WriteAsync(DriftReport report, Stream output, CancellationToken cancellationToken)
    {
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var suites = Suites(report).ToList();
        await using var writer = XmlWriter.Create(output, settings);
        await writer.WriteStartDocumentAsync();
        await writer.WriteStartElementAsync(null, "testsuites", null);
        await writer.WriteAttributeStringAsync(null, "name", null, "infradiff");
        await writer.WriteAttributeStringAsync(null, "tests", null, Number(suites.Sum(s => s.Cases.Count)));
        await writer.WriteAttributeStringAsync(null, "failures", null, Number(suites.Sum(s => s.Failures)));
        await writer.WriteAttributeStringAsync(null, "errors", null, "0");
        await writer.WriteAttributeStringAsync(null, "time", null, "0");
        var first = true;
        foreach (var suite in suites)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteSuiteAsync(writer, report, suite, first ? report.Notices : []);
            first = false;
        }

        await writer.WriteEndElementAsync();
        await writer.WriteEndDocumentAsync();
        await writer.FlushAsync();
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    private sealed record Case(string Name, string? FailureType, string? Message, string? Body, bool Skipped);

    private sealed record Suite(string Category, List<Case> Cases)
    {
        public int Failures => Cases.Count(c => c.FailureType is not null);

        public int Skipped => Cases.Count(c => c.Skipped);
    }

    /// <summary>Every category compared, changed or not compared, the one with the most severe change first.</summary>
    private static IEnumerable<Suite> Suites(DriftReport report)
    {
        var changed = ReportRenderer.Categories(report.Changes).ToList();
        var quiet = report.Compared.Concat(report.Unknown.Select(u => u.Category))
            .Except(changed.Select(g => g.Key), StringComparer.Ordinal)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var group in changed)
        {
            yield return new Suite(group.Key, [.. FailedCases(ReportLine.Collapse(ReportRenderer.BySeverity(group))), .. SkippedCases(report, group.Key)]);
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
        // Test names are what CI systems key results by: a summary said twice in a suite is told apart by its path.
        var repeated = lines.GroupBy(l => l.Summary, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var change = line.Change;
            var name = repeated.Contains(line.Summary) ? $"{line.Summary} ({change.Path})" : line.Summary;
            var severity = EnumNames.Of(change.Severity);
            yield return new Case(name, severity, $"[{severity}] {line.Summary}", Body(line), Skipped: false);
        }
    }

    private static IEnumerable<Case> SkippedCases(DriftReport report, string category) =>
        report.Unknown.Where(u => u.Category == category)
            .Select(u => new Case(u.Part is null ? $"{category}: not compared" : $"{category} {u.Part}: not compared", null, u.Reason, null, Skipped: true));

    /// <summary>What a person opening the failure reads: severity, what happened where, and the values either side.</summary>
    private static string Body(ReportLine line)
    {
        var change = line.Change;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"severity: {EnumNames.Of(change.Severity)}\n");
        body.Append(CultureInfo.InvariantCulture, $"change: {ReportRenderer.Verb(change.Kind)}\n");
        if (change.ExplainedBy is { } package)
        {
            body.Append(CultureInfo.InvariantCulture, $"explained by: {package}\n");
            body.Append(CultureInfo.InvariantCulture, $"path: {change.Path}");
            body.Append(line.Count > 1 ? $" and {line.Count - 1:N0} more of the package's files\n" : "\n");
            return body.ToString();
        }

        body.Append(CultureInfo.InvariantCulture, $"path: {change.Path}\n");
        if (change.OldValue.ValueKind != JsonValueKind.Undefined)
        {
            body.Append(CultureInfo.InvariantCulture, $"old: {Value(change.OldValue)}\n");
        }

        if (change.NewValue.ValueKind != JsonValueKind.Undefined)
        {
            body.Append(CultureInfo.InvariantCulture, $"new: {Value(change.NewValue)}\n");
        }

        return body.ToString();
    }

    private static async Task WriteSuiteAsync(XmlWriter writer, DriftReport report, Suite suite, IReadOnlyList<string> notices)
    {
        await writer.WriteStartElementAsync(null, "testsuite", null);
        await writer.WriteAttributeStringAsync(null, "name", null, Line(suite.Category));
        await writer.WriteAttributeStringAsync(null, "tests", null, Number(suite.Cases.Count));
        await writer.WriteAttributeStringAsync(null, "failures", null, Number(suite.Failures));
        await writer.WriteAttributeStringAsync(null, "errors", null, "0");
        await writer.WriteAttributeStringAsync(null, "skipped", null, Number(suite.Skipped));
        await writer.WriteAttributeStringAsync(null, "time", null, "0");
        await writer.WriteAttributeStringAsync(null, "timestamp", null, ReportRenderer.Time(report.After.TakenAt));
        await writer.WriteAttributeStringAsync(null, "hostname", null, Line(report.After.Host));

        await writer.WriteStartElementAsync(null, "properties", null);
        var properties = new List<(string, string)>
        {
            ("infradiff.before.host", report.Before.Host),
            ("infradiff.before.takenAt", ReportRenderer.Time(report.Before.TakenAt)),
            ("infradiff.after.host", report.After.Host),
            ("infradiff.after.takenAt", ReportRenderer.Time(report.After.TakenAt)),
            ("infradiff.summary", ReportRenderer.SummaryLine(report)),
        };
        properties.AddRange(notices.Select(n => ("infradiff.notice", n)));
        foreach (var (name, value) in properties)
        {
            await writer.WriteStartElementAsync(null, "property", null);
            await writer.WriteAttributeStringAsync(null, "name", null, name);
            await writer.WriteAttributeStringAsync(null, "value", null, Line(value));
            await writer.WriteEndElementAsync();
        }

        await writer.WriteEndElementAsync();
        foreach (var @case in suite.Cases)
        {
            await writer.WriteStartElementAsync(null, "testcase", null);
            await writer.WriteAttributeStringAsync(null, "classname", null, "infradiff." + Line(suite.Category));
            await writer.WriteAttributeStringAsync(null, "name", null, Line(@case.Name));
            await writer.WriteAttributeStringAsync(null, "time", null, "0");
            if (@case.FailureType is { } type)
            {
                await writer.WriteStartElementAsync(null, "failure", null);
                await writer.WriteAttributeStringAsync(null, "type", null, type);
                await writer.WriteAttributeStringAsync(null, "message", null, Line(@case.Message!));
                await writer.WriteStringAsync(Text(@case.Body!));
                await writer.WriteEndElementAsync();
            }
            else if (@case.Skipped)
            {
                await writer.WriteStartElementAsync(null, "skipped", null);
                await writer.WriteAttributeStringAsync(null, "message", null, Line(@case.Message!));
                await writer.WriteEndElementAsync();
            }

            await writer.WriteEndElementAsync();
        }

        await writer.WriteEndElementAsync();
    }

    /// <summary>A value as one line of JSON, cut at <see cref="ValueLength"/> characters.</summary>
    private static string Value(JsonElement value) => Excerpt.Cut(JsonSerializer.Serialize(value, ReportRenderer.Compact), ValueLength);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Host text on one line, without the characters XML cannot carry or that reorder what a viewer shows.</summary>
    private static string Line(string text) => HostText.Clean(text);

    /// <summary>Host text over several lines: each line cleaned as <see cref="Line"/>.</summary>
    private static string Text(string text) => string.Join('\n', text.Split('\n').Select(HostText.Clean));
}
