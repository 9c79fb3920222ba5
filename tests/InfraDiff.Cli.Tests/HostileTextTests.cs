using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// Every byte a host controls is data. A corpus of hostile names (file names as the files section keeps them, a
/// gecos) goes through every format, the GitHub Actions side channels, the logs and verify, and each output is read
/// by what reads it for real: the runner's workflow-command rule, markdown-it (CommonMark and GitHub's tables,
/// inline HTML, bare links), xmllint with the JUnit schema, and a terminal's view of the bytes.
/// </summary>
public sealed partial class HostileTextTests : IDisposable
{
    /// <summary>Names an intruder may give a file (invalid UTF-8 as the files section writes it: \xHH), each made setuid.</summary>
    private static readonly string[] Corpus =
    [
        @"f\xFE", @"caf\xE9", @"nul\xC0\x80", "bom\uFFFE", "non\uFFFF", "bidi\u202Egnp.exe", "c0\u0001\u0007bell", "c1\u0085\u009b31m",
        "esc\u001b]0;pwned\u0007\u001b[2J\u001b[31m", "cr\r## No drift", "lf\n::set-output name=drift::false", "x\n::add-mask::secret", "y\r\n::warning::forged",
        "<img src=http://evil.example/p.png>", "<a href=http://evil.example>x</a>", "<details><summary>x</summary>", "**bold** _em_ ~~s~~",
        "[x](http://evil.example)", "https://evil.example/autolink", "www.evil.example", "a|b|c", "`tick``s`", "&amp; < &lt;", "@everyone :smile: $x$",
    ];

    private static readonly string Oracle = typeof(HostileTextTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OracleDirectory").Value!;

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-hostile-").FullName;

    // rm, not Directory.Delete: .NET cannot name a file whose name is not UTF-8.
    public void Dispose() => CliRunner.RunToolAsync("rm", "-rf", directory).GetAwaiter().GetResult();

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Before: nothing. After: every corpus name as a setuid file, and a gecos holding the whole corpus.</summary>
    private (string Before, string After) Snapshots()
    {
        var files = new JsonObject();
        foreach (var name in Corpus)
        {
            files["/usr/local/bin/" + name] = new JsonObject { ["type"] = "file", ["mode"] = "4755", ["owner"] = "root", ["group"] = "root", ["uid"] = 0, ["gid"] = 0, ["size"] = 10, ["sha256"] = "aa" };
        }

        JsonObject Snapshot(string time, JsonObject files, string gecos) => new()
        {
            ["schemaVersion"] = 1,
            ["metadata"] = new JsonObject { ["host"] = "web1\u001b[2J", ["takenAt"] = time, ["tool"] = "t", ["collectors"] = new JsonObject() },
            ["files"] = files,
            ["users"] = new JsonObject { ["accounts"] = new JsonObject { ["eve"] = new JsonObject { ["uid"] = 1000, ["gecos"] = gecos } } },
        };

        return (Write("before.json", Snapshot("2026-11-27T14:00:00Z", new JsonObject(), "Eve").ToJsonString()),
                Write("after.json", Snapshot("2026-11-27T15:00:00Z", files, string.Join(" ", Corpus)).ToJsonString()));
    }

    private Dictionary<string, string?> GitHub() => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_STEP_SUMMARY"] = Path.Join(directory, "summary.md"),
        ["GITHUB_OUTPUT"] = Path.Join(directory, "outputs"),
    };

    public static TheoryData<string> Formats => ["text", "markdown", "junit", "html", "json", "json-patch", "github", "generic", "slack", "teams", "discord", "email"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task No_format_lets_host_text_act_on_a_terminal_or_a_ci_runner(string format)
    {
        var (before, after) = Snapshots();

        var result = await CliRunner.RunInAsync(directory, GitHub(), "diff", before, after, "--format", format, "--color", "always");

        Assert.Equal(1, result.ExitCode);
        AssertTerminalSafe(result.StandardOutput, format);
        AssertTerminalSafe(result.StandardError, format);
        AssertNoForeignWorkflowCommand(format, result.StandardOutput, result.StandardError);
        Assert.Equal(Corpus.Length, Regex.Matches(result.StandardError, "^::error title=", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task The_markdown_report_and_the_step_summary_render_no_element_from_host_text()
    {
        var (before, after) = Snapshots();

        var result = await CliRunner.RunInAsync(directory, GitHub(), "diff", before, after, "--format", "markdown");

        foreach (var markdown in new[] { Write("report.md", Regex.Replace(result.StandardOutput, "^::.*\n", "", RegexOptions.Multiline)), Path.Join(directory, "summary.md") })
        {
            var elements = await RenderAsync(markdown);
            var foreign = elements.Where(e => !AllowedElements.Contains((string)e!["type"]!)).Select(e => e!.ToJsonString()).ToList();
            Assert.True(foreign.Count == 0, string.Join('\n', foreign));
            // One row per name under "critical and high", one under files, one for the gecos: nothing split a row or a table.
            Assert.Equal(Corpus.Length + Corpus.Length + 2, elements.Count(e => (string)e!["type"]! == "tr_open") - 3);
            var text = string.Concat(elements.Where(e => (string)e!["type"]! is "text" or "code_inline").Select(e => (string)e!["content"]!));
            Assert.Contains("<img src=http://evil.example/p.png>", text, StringComparison.Ordinal);
            Assert.Contains("**bold** _em_ ~~s~~", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_report_redirected_to_a_file_in_a_job_is_the_report_alone()
    {
        var (before, after) = Snapshots();
        var report = Path.Join(directory, "drift.md");

        var (exitCode, output) = await CliRunner.RunToolAsync(
            "sh", "-c", "GITHUB_ACTIONS=true exec dotnet \"$0\" diff \"$1\" \"$2\" --format markdown > \"$3\"", Path.Join(AppContext.BaseDirectory, "infradiff.dll"), before, after, report);

        Assert.True(exitCode == 1, output);
        var markdown = File.ReadAllText(report);
        Assert.StartsWith("## ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("::", markdown.Split('\n').Select(l => l.TrimStart()).Select(l => l.Length < 2 ? l : l[..2]));
    }

    [Fact]
    public async Task Junit_with_every_hostile_name_is_valid_against_its_schema()
    {
        var (before, after) = Snapshots();

        var result = await CliRunner.RunAsync("diff", before, after, "--format", "junit");

        var path = Write("junit.xml", result.StandardOutput);
        var (exitCode, output) = await CliRunner.RunToolAsync("xmllint", "--noout", "--schema", Path.Join(AppContext.BaseDirectory, "fixtures", "junit-10.xsd"), path);
        Assert.True(exitCode == 0, output);
        Assert.Contains(@"bom\uFFFE", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_file_named_to_forge_a_line_is_one_line_in_verify_and_in_the_text_log()
    {
        var store = Path.Join(directory, "store");
        var watch = await CliRunner.RunAsync("watch", "--once", "--only", "users", "--dir", store);
        Assert.Equal(0, watch.ExitCode);
        var forged = "x\n2099-01-01T00:00:00Z infradiff: info: cycle done FORGED\u001b[2J\u0007.json";
        File.WriteAllText(Path.Join(store, forged), "{}");

        var verify = await CliRunner.RunAsync("verify", "--dir", store);
        var cycle = await CliRunner.RunAsync("watch", "--once", "--only", "users", "--dir", store);
        var json = await CliRunner.RunAsync("watch", "--once", "--only", "users", "--dir", store, "--log-format", "json");

        Assert.Equal(1, verify.ExitCode);
        Assert.DoesNotContain(verify.StandardOutput.Split('\n'), l => l.StartsWith("2099", StringComparison.Ordinal));
        Assert.Contains(@"x\n2099-01-01T00:00:00Z infradiff: info: cycle done FORGED\u001B[2J\u0007.json", verify.StandardOutput, StringComparison.Ordinal);
        AssertTerminalSafe(verify.StandardOutput, "verify");
        Assert.DoesNotContain(cycle.StandardError.Split('\n'), l => l.StartsWith("2099", StringComparison.Ordinal));
        AssertTerminalSafe(cycle.StandardError, "log");
        Assert.All(json.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l).Dispose());
        AssertTerminalSafe(json.StandardError, "json log");
    }

    [Fact]
    public async Task Watch_alerts_a_setuid_shell_whose_name_is_not_utf8_as_critical()
    {
        var tree = Directory.CreateDirectory(Path.Join(directory, "tree")).FullName;
        string[] watch = ["watch", "--once", "--only", "files", "--files", tree, "--dir", Path.Join(directory, "store"), "--log-format", "json"];
        Assert.Equal(0, (await CliRunner.RunAsync(watch)).ExitCode);
        // xargs -0 hands the name over as the bytes it reads: sh, then 0xFF.
        var name = Path.Join(tree, "sh");
        Assert.Equal(0, (await CliRunner.RunToolAsync("sh", "-c", "printf '%s\\377\\0' \"$0\" | xargs -0 cp /bin/sh && printf '%s\\377\\0' \"$0\" | xargs -0 chmod 4755", name)).ExitCode);

        var cycle = await CliRunner.RunAsync(watch);

        Assert.Equal(0, cycle.ExitCode);
        using var alert = JsonDocument.Parse(cycle.StandardOutput);
        var change = Assert.Single(alert.RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal(("critical", $"file {name}\\xFF added"), (change.GetProperty("severity").GetString(), change.GetProperty("summary").GetString()![..(name.Length + 15)]));
        Assert.All(cycle.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task The_text_report_on_a_terminal_carries_no_escape_from_host_text()
    {
        var (before, after) = Snapshots();

        // script(1) runs infradiff on a pseudo-terminal, as an operator would: colour is on, and the bytes are what the terminal gets.
        var (exitCode, output) = await CliRunner.RunToolAsync(
            "script", "-qec", $"TERM=xterm dotnet {Path.Join(AppContext.BaseDirectory, "infradiff.dll")} diff {before} {after}", "/dev/null");

        Assert.True(exitCode == 1, output);
        Assert.Contains("\u001b[", output, StringComparison.Ordinal);
        // .NET's console turns the keypad's application mode on and off on a terminal (ESC [?1h ESC =): the runtime's own, not host text.
        AssertTerminalSafe(Regex.Replace(output, @"\u001b\[\?1[hl]\u001b[=>]", "").Replace("\r\n", "\n", StringComparison.Ordinal), "pty");
        Assert.Contains(@"esc\u001B]0;pwned\u0007\u001B[2J", output, StringComparison.Ordinal);
    }

    /// <summary>What markdown-it makes of a report may only be what the report itself writes: no link, image, HTML, strikethrough, heading of the host's.</summary>
    private static readonly HashSet<string> AllowedElements =
    [
        "heading_open", "paragraph_open", "text", "code_inline", "softbreak", "table_open", "thead_open", "tbody_open", "tr_open", "th_open", "td_open",
        "blockquote_open", "bullet_list_open", "list_item_open", "em_open", "strong_open",
    ];

    private static async Task<JsonArray> RenderAsync(string path)
    {
        var (exitCode, output) = await CliRunner.RunToolAsync("node", Path.Join(Oracle, "render-markdown.mjs"), path);
        Assert.True(exitCode == 0, output);
        return JsonNode.Parse(output)!.AsArray();
    }

    /// <summary>
    /// The runner acts on a line that starts with "::" (after white space). The only ones allowed are infradiff's own:
    /// its annotations (on stderr, and on stdout in the github format), and for a report people read (text, markdown)
    /// the stop-commands pair around it, whose token it chose. A parsed format (JSON, XML, HTML) has no such line at all.
    /// </summary>
    private static void AssertNoForeignWorkflowCommand(string format, string stdout, string stderr)
    {
        const string Annotation = "^::(error|warning) title=infradiff (critical|high)%3A [^\r]*::[^\r]*$";
        var lines = stdout.Split('\n').Select(l => l.TrimStart()).ToList();
        var rest = lines;
        if (format is "text" or "markdown")
        {
            Assert.StartsWith("::stop-commands::", lines[0], StringComparison.Ordinal);
            var token = lines[0]["::stop-commands::".Length..].TrimEnd('\r');
            Assert.Matches("^[0-9a-f]{32}$", token);
            var resume = lines.FindLastIndex(l => l.TrimEnd('\r') == $"::{token}::");
            Assert.True(resume > 0, "the report is not followed by its token");
            rest = lines.Skip(resume + 1).ToList();
        }

        foreach (var line in rest.Where(l => l.StartsWith("::", StringComparison.Ordinal)))
        {
            Assert.True(format == "github", $"{format}: {line}");
            Assert.Matches(Annotation, line);
        }

        foreach (var line in stderr.Split('\n').Select(l => l.TrimStart()).Where(l => l.StartsWith("::", StringComparison.Ordinal)))
        {
            Assert.Matches(Annotation, line);
        }
    }

    /// <summary>
    /// What a terminal would act on in the bytes: nothing but a line break, and infradiff's own colours (ESC [ … m),
    /// may be a control character; no C1 control, no bidirectional override.
    /// </summary>
    private static void AssertTerminalSafe(string output, string what)
    {
        var plain = Colours().Replace(output, "");
        var bad = plain.Select((c, i) => (c, i)).FirstOrDefault(p => (char.IsControl(p.c) && p.c is not ('\n' or '\r')) || p.c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
        Assert.True(bad == default, $"{what}: U+{(int)bad.c:X4} at {bad.i}: {Excerpt(plain, bad.i)}");
        Assert.DoesNotContain('\r', Colours().Replace(output, "").Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string Excerpt(string text, int at) => text.Substring(Math.Max(0, at - 40), Math.Min(80, text.Length - Math.Max(0, at - 40)));

    [GeneratedRegex(@"\u001b\[[0-9;]*m")]
    private static partial Regex Colours();
}
