using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// The same three outcomes on rpm: packages built with rpmbuild, installed into a temporary root with its own
/// database, one upgraded, a file of the other tampered with and a %config file edited. rpm -V is the independent check.
/// </summary>
public sealed class RpmExplainedDriftTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-rpm-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Root => Path.Join(work, "root");

    [Fact]
    public async Task An_rpm_upgrade_is_explained_a_tampered_file_is_critical_and_unverified_files_match_rpm_verify()
    {
        Assert.True(File.Exists("/usr/bin/rpmbuild"), "rpmbuild is missing: install Debian's rpm (.ci/run does)");
        var demo1 = Build("demo", "1.0", files: 40);
        var demo2 = Build("demo", "2.0", files: 40);
        var tools = Build("tools", "1.0", files: 1);
        Directory.CreateDirectory(Root);
        // The database where rpm-based systems keep it (Debian's rpm defaults to ~/.rpmdb).
        Run("rpm", "--root", Root, "--dbpath", "/var/lib/rpm", "--initdb");
        Run("rpm", "--root", Root, "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--noscripts", demo1, tools);
        var before = Path.Join(work, "before.json");
        var after = Path.Join(work, "after.json");
        string[] snapshot = ["snapshot", "--root", Root, "--only", "packages,files", "--files", "/usr", "--files", "/etc", "--no-cache"];
        var first = await Infradiff.RunAsync(work, [.. snapshot, "-o", before]);
        Assert.True(first.ExitCode == 0, first.StandardError);

        Run("rpm", "--root", Root, "--dbpath", "/var/lib/rpm", "-U", "--nodeps", "--noscripts", demo2);
        var tool = Path.Join(Root, "usr", "bin", "tools-0");
        File.WriteAllText(tool, File.ReadAllText(tool).Replace("1.0", "6.6", StringComparison.Ordinal));
        File.AppendAllText(Path.Join(Root, "etc", "demo.conf"), "debug = true\n");
        Assert.Equal(0, (await Infradiff.RunAsync(work, [.. snapshot, "-o", after])).ExitCode);

        var text = await Infradiff.RunAsync(work, "diff", before, after);
        var json = await Infradiff.RunAsync(work, "diff", before, after, "--format", "json");
        output.WriteLine(text.StandardOutput);
        using var report = JsonDocument.Parse(json.StandardOutput);
        var changes = report.RootElement.GetProperty("changes").EnumerateArray().ToList();

        Assert.Equal(40, changes.Count(c => c.TryGetProperty("explainedBy", out var why) && why.GetString() == "package demo 1.0-1 → 2.0-1"));
        Assert.Matches(@"^  ~ \[critical\] [0-9a-f]{10} files: file /usr/bin/tools-0 no longer matches package tools 1\.0-1", text.StandardOutput.Split('\n')[3]);
        Assert.Contains(changes, c => c.GetProperty("summary").GetString()!.StartsWith("conffile /etc/demo.conf modified locally", StringComparison.Ordinal) && c.GetProperty("severity").GetString() == "medium");

        using var snapshotDocument = JsonDocument.Parse(File.ReadAllBytes(after));
        var unverified = snapshotDocument.RootElement.GetProperty("files").EnumerateObject()
            .Where(f => f.Value.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.False)
            .Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/etc/demo.conf", "/usr/bin/tools-0"], unverified);
        Assert.Equal(unverified, RpmVerifyDigestMismatches());
    }

    /// <summary>A noarch package with <paramref name="files"/> commands and a %config file, built with rpmbuild.</summary>
    private string Build(string name, string version, int files)
    {
        var top = Path.Join(work, $"build-{name}-{version}");
        Directory.CreateDirectory(Path.Join(top, "SPECS"));
        var install = string.Join('\n', Enumerable.Range(0, files).Select(i => $"printf '#!/bin/sh\\necho {name} {version} {i}\\n' > %{{buildroot}}/usr/bin/{name}-{i}"));
        var spec = $$"""
            Name: {{name}}
            Version: {{version}}
            Release: 1
            Summary: a package for infradiff's tests
            License: MIT
            BuildArch: noarch

            %description
            A package for infradiff's tests.

            %install
            mkdir -p %{buildroot}/usr/bin %{buildroot}/etc
            {{install}}
            chmod 755 %{buildroot}/usr/bin/*
            echo 'listen = 127.0.0.1' > %{buildroot}/etc/{{name}}.conf

            %files
            /usr/bin/*
            %config /etc/{{name}}.conf
            """;
        File.WriteAllText(Path.Join(top, "SPECS", name + ".spec"), spec);
        Run("rpmbuild", "--define", $"_topdir {top}", "--define", "_binary_payload w9.gzdio", "-bb", Path.Join(top, "SPECS", name + ".spec"));
        return Directory.GetFiles(Path.Join(top, "RPMS"), "*.rpm", SearchOption.AllDirectories).Single();
    }

    /// <summary>rpm -Va's files whose digest differs (the third column of its flags is '5').</summary>
    private List<string> RpmVerifyDigestMismatches()
    {
        var start = new ProcessStartInfo("rpm", ["--root", Root, "--dbpath", "/var/lib/rpm", "-Va", "--nodeps"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine(stdout);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Length > 2 && l[2] == '5')
            .Select(l => l[(l.IndexOf('/', StringComparison.Ordinal))..].Trim())
            .Order(StringComparer.Ordinal).ToList();
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {stderr}{stdout.Result}");
    }
}
