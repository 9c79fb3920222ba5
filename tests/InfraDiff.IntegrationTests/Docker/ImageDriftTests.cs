using System.Text.Json;
using Docker.DotNet.Models;
using InfraDiff.IntegrationTests.Scenarios;

namespace InfraDiff.IntegrationTests.Docker;

/// <summary>
/// <c>snapshot --image</c> against the throwaway engine: two images imported from roots built here (busybox, a real
/// dpkg database), the second with a package installed by dpkg, a config file changed and a setuid file added.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ImageDriftTests(DockerEngine engine) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("idt-image-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task RunAsync(string file, params string[] arguments) =>
        Assert.Equal(0, await DebianRoot.TryRunAsync(file, arguments));

    /// <summary>A small root: busybox, root's account, a config file, and an empty dpkg database.</summary>
    private string BaseRoot(string name)
    {
        var root = Path.Join(directory, name);
        foreach (var folder in new[] { "bin", "etc", "root", "usr/bin", "usr/local/bin", "usr/share/doc", "var/lib/dpkg/info", "var/lib/dpkg/updates" })
        {
            Directory.CreateDirectory(Path.Join(root, folder));
        }

        File.Copy("/bin/busybox", Path.Join(root, "bin/busybox"));
        File.CreateSymbolicLink(Path.Join(root, "bin/sh"), "busybox");
        File.WriteAllText(Path.Join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/srv:/bin/sh\n");
        File.WriteAllText(Path.Join(root, "etc/group"), "root:x:0:\napp:x:1000:\n");
        File.WriteAllText(Path.Join(root, "etc/app.conf"), "mode=blue\nworkers=4\n");
        File.WriteAllText(Path.Join(root, "var/lib/dpkg/status"), "");
        return root;
    }

    private async Task<string> PackageAsync()
    {
        var package = Path.Join(directory, "pkg");
        Directory.CreateDirectory(Path.Join(package, "DEBIAN"));
        Directory.CreateDirectory(Path.Join(package, "usr/bin"));
        Directory.CreateDirectory(Path.Join(package, "usr/share/doc/infradiff-extra"));
        File.WriteAllText(Path.Join(package, "DEBIAN/control"), "Package: infradiff-extra\nVersion: 1.2-1\nArchitecture: all\nMaintainer: infradiff tests <tests@example.invalid>\nDescription: a package the image test installs\n");
        File.WriteAllText(Path.Join(package, "usr/bin/extra-tool"), "#!/bin/sh\necho extra\n");
        File.SetUnixFileMode(Path.Join(package, "usr/bin/extra-tool"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Join(package, "usr/share/doc/infradiff-extra/copyright"), "public domain\n");
        var deb = Path.Join(directory, "infradiff-extra.deb");
        await RunAsync("dpkg-deb", "--build", "--root-owner-group", package, deb);
        return deb;
    }

    private async Task ImportAsync(string root, string tag)
    {
        var tar = Path.Join(directory, tag + ".tar");
        await RunAsync("tar", "--numeric-owner", "-C", root, "-cf", tar, ".");
        await using var stream = File.OpenRead(tar);
        await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = "infradiff-test/app", Tag = tag }, stream, null, new Progress<JSONMessage>());
    }

    [Fact]
    public async Task Two_image_builds_differ_by_exactly_the_added_package_the_changed_config_and_the_new_setuid_file()
    {
        var first = BaseRoot("first");
        var second = BaseRoot("second");
        await RunAsync("dpkg", $"--root={second}", "-i", await PackageAsync());
        File.WriteAllText(Path.Join(second, "etc/app.conf"), "mode=green\nworkers=4\n");
        File.Copy("/bin/busybox", Path.Join(second, "usr/local/bin/helper"));
        File.SetUnixFileMode(Path.Join(second, "usr/local/bin/helper"), (UnixFileMode)Convert.ToInt32("4755", 8));
        await ImportAsync(first, "1");
        await ImportAsync(second, "2");
        var containersBefore = (await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true })).Count;
        var unpackedBefore = Directory.GetDirectories(Path.GetTempPath(), "infradiff-image-*").Length;

        var cache = Path.Join(directory, "cache");
        var before = Path.Join(directory, "1.json");
        var after = Path.Join(directory, "2.json");
        foreach (var (tag, output) in new[] { ("1", before), ("2", after) })
        {
            var snapshot = await Infradiff.RunAsync(cache, "snapshot", "--image", $"infradiff-test/app:{tag}", "--docker-host", engine.Endpoint, "-o", output);
            Assert.True(snapshot.ExitCode == 0, snapshot.StandardError);
        }

        var diff = await Infradiff.RunAsync(cache, "diff", before, after, "--format", "json");

        Assert.Equal(1, diff.ExitCode);
        using var report = JsonDocument.Parse(diff.StandardOutput);
        Assert.Equal("image infradiff-test/app:1", report.RootElement.GetProperty("before").GetProperty("host").GetString());
        Assert.Equal("image infradiff-test/app:2", report.RootElement.GetProperty("after").GetProperty("host").GetString());
        var changes = report.RootElement.GetProperty("changes").EnumerateArray().ToList();
        var unexplained = changes.Where(c => !c.TryGetProperty("explainedBy", out _))
            .Select(c => $"{c.GetProperty("op").GetString()} {c.GetProperty("path").GetString()} {c.GetProperty("severity").GetString()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "add /files/~1usr~1local~1bin~1helper critical",
                "add /packages/infradiff-extra medium",
                "replace /files/~1etc~1app.conf medium",
            ],
            unexplained);
        var explained = changes.Where(c => c.TryGetProperty("explainedBy", out _)).ToList();
        Assert.Equal(
            ["/files/~1usr~1bin~1extra-tool", "/files/~1usr~1share~1doc~1infradiff-extra", "/files/~1usr~1share~1doc~1infradiff-extra~1copyright"],
            explained.Select(c => c.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.All(explained, c => Assert.Equal("package infradiff-extra 1.2-1 installed", c.GetProperty("explainedBy").GetString()));
        Assert.All(explained, c => Assert.Equal("low", c.GetProperty("severity").GetString()));
        Assert.Contains(
            report.RootElement.GetProperty("unknown").EnumerateArray().Select(u => u.GetProperty("category").GetString()),
            c => c == "os");

        // The image's own files, owners and bits as it holds them; nothing of this host, nothing of the engine.
        using var snapshotDocument = JsonDocument.Parse(await File.ReadAllTextAsync(after));
        var sections = snapshotDocument.RootElement;
        Assert.False(sections.TryGetProperty("docker", out _));
        var helper = sections.GetProperty("files").GetProperty("/usr/local/bin/helper");
        Assert.Equal("4755", helper.GetProperty("mode").GetString());
        Assert.Equal("root", helper.GetProperty("owner").GetString());
        Assert.Equal(["app", "root"], sections.GetProperty("users").GetProperty("accounts").EnumerateObject().Select(a => a.Name));
        Assert.Equal("1.2-1", sections.GetProperty("packages").GetProperty("infradiff-extra").GetProperty("version").GetString());

        // The export's container is removed, and so is the unpacked tree.
        Assert.Equal(containersBefore, (await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true })).Count);
        Assert.Equal(unpackedBefore, Directory.GetDirectories(Path.GetTempPath(), "infradiff-image-*").Length);
    }

    [Fact]
    public async Task An_image_the_engine_does_not_have_is_one_line_and_exit_2()
    {
        var result = await Infradiff.RunAsync(Path.Join(directory, "cache"), "snapshot", "--image", "infradiff-test/missing:9", "--docker-host", engine.Endpoint);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: image infradiff-test/missing:9: no such image on the Docker engine", result.StandardError.TrimEnd());
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Image_and_root_together_are_refused()
    {
        var result = await Infradiff.RunAsync(Path.Join(directory, "cache"), "snapshot", "--image", DockerEngine.Image, "--root", directory, "--docker-host", engine.Endpoint);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: --image: reads the image's own file system as the root: leave out --root and --host-kernel", result.StandardError.TrimEnd());
    }

    /// <summary>A real engine behind a proxy that stalls or cuts the export's stream: one line, exit 2, no container and no unpacked tree left.</summary>
    [Theory]
    [InlineData(false, "the export took longer than 3 s (the engine stalled, or the image needs a longer --image-timeout)")]
    [InlineData(true, "its export ended mid-archive (the engine closed the stream)")]
    public async Task An_export_that_stalls_or_is_cut_off_fails_in_one_line_and_leaves_nothing_behind(bool cut, string problem)
    {
        await using var proxy = new FaultyEngineProxy(engine.Endpoint["unix://".Length..], Path.Join(directory, "proxy.sock"), cut);
        var unpackedBefore = Directory.GetDirectories(Path.GetTempPath(), "infradiff-image-*").Length;

        var result = await Infradiff.RunAsync(Path.Join(directory, "cache"), "snapshot", "--image", DockerEngine.Image, "--docker-host", proxy.Endpoint, "--image-timeout", "3s");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: image {DockerEngine.Image}: {problem}", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.StandardOutput);
        var exports = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["infradiff.export=true"] = true } },
        });
        Assert.Empty(exports);
        Assert.Equal(unpackedBefore, Directory.GetDirectories(Path.GetTempPath(), "infradiff-image-*").Length);
    }
}
