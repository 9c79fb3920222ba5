using System.Diagnostics;
using System.Text;
using Docker.DotNet.Models;
using InfraDiff.Diffing;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Docker;
using InfraDiff.Snapshots;

namespace InfraDiff.IntegrationTests.Docker;

/// <summary>The docker collector against a real engine: containers created, started, stopped and removed through the Engine API.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerCollectorTests(DockerEngine engine) : IAsyncLifetime
{
    private readonly string keys = Directory.CreateTempSubdirectory("idt-docker-keys-").FullName;
    private readonly List<string> created = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in created)
        {
            try
            {
                await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }
            catch (global::Docker.DotNet.DockerContainerNotFoundException)
            {
                // The test removed it itself.
            }
        }

        Directory.Delete(keys, recursive: true);
    }

    private Task<Snapshot> SnapshotAsync(string? host = null) =>
        new Snapshotter(BuiltInSections.CreateCollectors(docker: new DockerCollectorOptions { Host = host ?? engine.Endpoint, KeyDirectory = keys }))
            .TakeAsync(new SnapshotOptions { Only = ["docker"] });

    private static List<string> Changes(Snapshot before, Snapshot after) =>
        SnapshotDiffer.Compare(before, after).Changes.Select(c => $"{c.Kind.ToString().ToLowerInvariant()} {c.Path}").ToList();

    private async Task<string> CreateAsync(string name, string secret, Dictionary<string, string>? labels = null)
    {
        var response = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = DockerEngine.Image,
            Cmd = ["sleep", "300"],
            Env = [$"API_TOKEN={secret}", "MODE=blue"],
            Entrypoint = ["/bin/sh", "-c", $"API_TOKEN={secret} exec \"$0\" \"$@\""],
            Healthcheck = new() { Test = ["CMD", "wget", "-q", $"http://admin:{secret}@127.0.0.1/?token={secret}"] },
            Labels = labels ?? new Dictionary<string, string> { ["app"] = name },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["80/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["80/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "18080" }] },
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                Binds = [$"{keys}:/data:ro"],
                CapAdd = ["NET_ADMIN"],
            },
        });
        created.Add(response.ID);
        return response.ID;
    }

    [Fact]
    public async Task A_created_container_appears_by_name_with_its_configuration_and_never_its_env_values()
    {
        const string secret = "s3cr3t-value-never-in-a-snapshot";
        await CreateAsync("web", secret);

        var snapshot = await SnapshotAsync();

        var web = snapshot.Sections["docker"].GetProperty("containers").GetProperty("web");
        Assert.Equal("created", web.GetProperty("state").GetString());
        Assert.Equal(DockerEngine.Image, web.GetProperty("image").GetString());
        Assert.Equal("unless-stopped", web.GetProperty("restartPolicy").GetString());
        Assert.Equal("127.0.0.1:18080", web.GetProperty("ports").GetProperty("80/tcp")[0].GetString());
        Assert.Equal("ro", web.GetProperty("mounts").GetProperty("/data").GetProperty("mode").GetString());
        Assert.Equal("web", web.GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal("NET_ADMIN", web.GetProperty("capAdd")[0].GetString());
        Assert.StartsWith("hmac-sha256:", web.GetProperty("env").GetProperty("API_TOKEN").GetString(), StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(snapshot));
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("blue", text, StringComparison.Ordinal);
        Assert.Equal("http://<redacted>@127.0.0.1/?<redacted>", web.GetProperty("healthcheck").GetProperty("test")[3].GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(keys))));
    }

    [Fact]
    public async Task Start_stop_relabel_env_change_and_removal_each_appear_as_keyed_changes()
    {
        var id = await CreateAsync("api", "first");
        var created = await SnapshotAsync();

        await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());
        var started = await SnapshotAsync();
        await engine.Client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = 1 });
        var stopped = await SnapshotAsync();
        await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
        await CreateAsync("api", "second", new Dictionary<string, string> { ["app"] = "api", ["tier"] = "backend" });
        var recreated = await SnapshotAsync();

        Assert.Equal(["replace /docker/containers/api/state"], Changes(created, started));
        Assert.Equal("running", started.Sections["docker"].GetProperty("containers").GetProperty("api").GetProperty("state").GetString());
        Assert.Equal(["replace /docker/containers/api/state"], Changes(started, stopped));
        Assert.Equal(
            ["replace /docker/containers/api/env/API_TOKEN", "add /docker/containers/api/labels/tier", "replace /docker/containers/api/state"],
            Changes(stopped, recreated));
    }

    [Fact]
    public async Task An_unchanged_engine_gives_identical_sections()
    {
        var id = await CreateAsync("steady", "x");
        await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());

        var first = await SnapshotAsync();
        await Task.Delay(1100);
        var second = await SnapshotAsync();

        Assert.Empty(Changes(first, second));
        Assert.Equal(SnapshotJson.ToCanonicalBytes(first.Sections["docker"]), SnapshotJson.ToCanonicalBytes(second.Sections["docker"]));
    }

    [Fact]
    public async Task No_engine_is_unavailable_within_a_second()
    {
        var stopwatch = Stopwatch.StartNew();
        var snapshot = await SnapshotAsync(host: "unix:///nonexistent/infradiff/docker.sock");

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
        var report = snapshot.Metadata.Collectors["docker"];
        Assert.Equal(CollectorStatus.Unavailable, report.Status);
        Assert.StartsWith("no Docker engine at unix:///nonexistent/infradiff/docker.sock", report.Reason, StringComparison.Ordinal);
        Assert.False(snapshot.Sections.ContainsKey("docker"));
    }
}
