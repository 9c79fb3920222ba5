using System.Diagnostics;
using System.Text;
using System.Text.Json;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Support;

/// <summary>Fixture files copied beside the test assembly.</summary>
internal static class Fixtures
{
    public static string PathOf(string relative) => Path.Join(AppContext.BaseDirectory, "fixtures", relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Runs a real program and returns its stdout; fails the test on a non-zero exit.</summary>
    public static string RunTool(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }

    /// <summary>A snapshot's text without its metadata, for comparing what the host looked like.</summary>
    public static string SectionsText(Snapshot snapshot) =>
        Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(snapshot with { Metadata = snapshot.Metadata with { Collectors = new Dictionary<string, CollectorReport>(), TakenAt = default } }));

    public static JsonElement Section(Snapshot snapshot, string name)
    {
        Assert.True(snapshot.Sections.ContainsKey(name), $"no '{name}' section; collectors: {JsonSerializer.Serialize(snapshot.Metadata.Collectors, SnapshotJson.Options)}");
        return snapshot.Sections[name];
    }

    /// <summary>Follows a JSON Pointer-like path of plain keys ("accounts", "alice", "shell").</summary>
    public static JsonElement At(JsonElement element, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.True(element.TryGetProperty(key, out element), $"no key '{key}' on the path {string.Join('/', keys)}");
        }

        return element;
    }
}

/// <summary>A writable copy of a fixture host root, deleted when the test ends.</summary>
internal sealed class FixtureRoot : IDisposable
{
    public FixtureRoot(string fixture = "debian12/root")
    {
        Path = Directory.CreateTempSubdirectory("infradiff-root-").FullName;
        Copy(Fixtures.PathOf(fixture), Path);
    }

    public string Path { get; }

    public string Host(string hostPath) => System.IO.Path.Join(Path, hostPath);

    public void Write(string hostPath, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Host(hostPath))!);
        File.WriteAllText(Host(hostPath), text);
    }

    public Task<Snapshot> SnapshotAsync(params string[] only) =>
        new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { UseCache = false }))
            .TakeAsync(new SnapshotOptions { Root = Path, Only = only });

    /// <summary>Removed with rm: .NET cannot name a file whose name is not UTF-8, and a test may make one.</summary>
    public void Dispose() => Fixtures.RunTool("rm", "-rf", Path);

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
