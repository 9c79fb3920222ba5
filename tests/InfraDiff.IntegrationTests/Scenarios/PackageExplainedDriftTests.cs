using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit.Abstractions;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// A Debian 12 root where a package with many files is installed, then upgraded, while an intruder replaces
/// /usr/bin/ls (same size, same mtime) and an administrator edits a conffile. The upgrade explains itself; the
/// intruder does not. debsums, Debian's own verifier, is the independent check of what no longer verifies.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class PackageExplainedDriftTests(DebianRoot debian, ITestOutputHelper output)
{
    internal const string Package = "infradiff-demo";
    internal const int DataFiles = 120;

    [Fact]
    public async Task An_upgrade_is_explained_the_trojan_leads_and_unverified_files_match_debsums()
    {
        var root = await debian.CopyAsync("packages");
        var work = Directory.CreateTempSubdirectory("idt-packages-").FullName;
        var v1 = BuildDeb(work, "1.0-1");
        var v2 = BuildDeb(work, "1.1-1");
        Assert.Equal(0, await InstallAsync(root, v1));
        var before = Path.Join(work, "before.json");
        var after = Path.Join(work, "after.json");
        string[] snapshot = ["snapshot", "--root", root, "--only", "packages,files", "--no-cache"];
        Assert.Equal(0, (await Infradiff.RunAsync(work, [.. snapshot, "-o", before])).ExitCode);

        Assert.Equal(0, await InstallAsync(root, v2));
        Intruder.ReplaceKeepingSizeAndMtime(Path.Join(root, "usr/bin/ls"));
        File.AppendAllText(Path.Join(root, "etc", $"{Package}.conf"), "listen = 0.0.0.0\n");
        Assert.Equal(0, (await Infradiff.RunAsync(work, [.. snapshot, "-o", after])).ExitCode);

        var text = await Infradiff.RunAsync(work, "diff", before, after);
        var json = await Infradiff.RunAsync(work, "diff", before, after, "--format", "json");
        var markdown = await Infradiff.RunAsync(work, "diff", before, after, "--format", "markdown");
        output.WriteLine(text.StandardOutput);

        using var report = JsonDocument.Parse(json.StandardOutput);
        var changes = report.RootElement.GetProperty("changes").EnumerateArray().ToList();
        var fileChanges = changes.Where(c => c.GetProperty("category").GetString() == "files").ToList();
        var explained = fileChanges.Where(c => c.TryGetProperty("explainedBy", out _)).ToList();

        // Every file the upgrade changed is explained by it, and low.
        Assert.Equal(DataFiles + 1, explained.Count);
        Assert.All(explained, c => Assert.Equal($"package {Package} 1.0-1 → 1.1-1", c.GetProperty("explainedBy").GetString()));
        Assert.All(explained, c => Assert.Equal("low", c.GetProperty("severity").GetString()));

        // The trojan is the first critical line; the conffile edit is medium and named as such.
        var lines = text.StandardOutput.Split('\n');
        Assert.Matches(@"^  ~ \[critical\] [0-9a-f]{10} files: file /usr/bin/ls no longer matches package coreutils ", lines[3]);
        Assert.Contains(changes, c => c.GetProperty("summary").GetString()!.StartsWith($"conffile /etc/{Package}.conf modified locally", StringComparison.Ordinal) && c.GetProperty("severity").GetString() == "medium");
        Assert.True(lines.Length <= 60, $"{lines.Length} lines");
        // One line for the upgrade: the package's, carrying its verified files.
        Assert.Contains($"package {Package}: 1.0-1 → 1.1-1; {DataFiles + 1} file changes, all verified", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"package {Package}: 1.0-1 → 1.1-1; {DataFiles + 1} file changes, all verified", Infradiff.Shown(markdown.StandardOutput), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains($"package {Package} 1.0-1 → 1.1-1:", StringComparison.Ordinal));

        // What the snapshot says no longer verifies is what debsums says has changed.
        using var snapshotDocument = JsonDocument.Parse(File.ReadAllBytes(after));
        var unverified = snapshotDocument.RootElement.GetProperty("files").EnumerateObject()
            .Where(f => f.Value.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.False)
            .Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        var debsums = Debsums(root);
        output.WriteLine($"unverified: {string.Join(", ", unverified)}; debsums -ca: {string.Join(", ", debsums)}");
        Assert.Equal(["/etc/" + Package + ".conf", "/usr/bin/ls"], unverified);
        Assert.Equal(unverified, debsums);
        Directory.Delete(work, recursive: true);
    }

    /// <summary>A package with many data files, a command and a conffile, md5sums included as debhelper would write them.</summary>
    internal static string BuildDeb(string work, string version)
    {
        var tree = Path.Join(work, "pkg-" + version);
        var data = Directory.CreateDirectory(Path.Join(tree, "usr", "share", Package)).FullName;
        for (var i = 0; i < DataFiles; i++)
        {
            File.WriteAllText(Path.Join(data, $"part{i:D3}.txt"), $"{Package} {version} part {i}\n" + new string('x', i * 13));
        }

        Directory.CreateDirectory(Path.Join(tree, "usr", "bin"));
        File.WriteAllText(Path.Join(tree, "usr", "bin", Package), $"#!/bin/sh\necho {version}\n");
        File.SetUnixFileMode(Path.Join(tree, "usr", "bin", Package), (UnixFileMode)Convert.ToInt32("755", 8));
        Directory.CreateDirectory(Path.Join(tree, "etc"));
        File.WriteAllText(Path.Join(tree, "etc", $"{Package}.conf"), "listen = 127.0.0.1\n");
        var control = Directory.CreateDirectory(Path.Join(tree, "DEBIAN")).FullName;
        File.WriteAllText(Path.Join(control, "control"), $"Package: {Package}\nVersion: {version}\nArchitecture: all\nMaintainer: infradiff tests <tests@localhost>\nDescription: a package for infradiff's tests\n");
        File.WriteAllText(Path.Join(control, "conffiles"), $"/etc/{Package}.conf\n");
        var md5sums = Directory.EnumerateFiles(Path.Join(tree, "usr"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(f)))}  {Path.GetRelativePath(tree, f)}");
        File.WriteAllLines(Path.Join(control, "md5sums"), md5sums);
        var deb = Path.Join(work, $"{Package}_{version}_all.deb");
        Run("dpkg-deb", "--root-owner-group", "--build", tree, deb);
        return deb;
    }

    /// <summary>dpkg inside the root (chroot), as the root's own system would run it: its users and groups, its database.</summary>
    internal static async Task<int> InstallAsync(string root, string deb)
    {
        File.Copy(deb, Path.Join(root, "tmp", Path.GetFileName(deb)), overwrite: true);
        var exit = await DebianRoot.TryRunAsync("chroot", root, "dpkg", "-i", "/tmp/" + Path.GetFileName(deb));
        File.Delete(Path.Join(root, "tmp", Path.GetFileName(deb)));
        return exit;
    }

    /// <summary>debsums -ca's changed files, as host paths at the place they really have in the root (debsums prints ROOT/bin/ls for /usr/bin/ls).</summary>
    private static List<string> Debsums(string root)
    {
        var start = new ProcessStartInfo("debsums", ["--root", root, "-ca"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim())
            .Select(p => p.StartsWith(root + "/", StringComparison.Ordinal) ? p[root.Length..] : p)
            .Select(p => Path.GetDirectoryName(p) is { } directory && new DirectoryInfo(Path.Join(root, directory)).LinkTarget is { } target && !target.StartsWith('/')
                ? Path.Join(Path.GetDirectoryName(directory)!, target, Path.GetFileName(p))
                : p)
            .Order(StringComparer.Ordinal).ToList();
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {stderr}");
    }
}
