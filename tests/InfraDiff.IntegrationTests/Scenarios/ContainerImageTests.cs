using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Docker.DotNet.Models;
using InfraDiff.IntegrationTests.Alerting;
using InfraDiff.IntegrationTests.Docker;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>An engine on overlay2: an image build copies multi-gigabyte layers, which vfs would copy whole at each step.</summary>
public sealed class OverlayDockerEngine() : DockerEngine("overlay2");

/// <summary>
/// The repository's Dockerfile, built for real against a throwaway engine from base images made here (no registry is
/// reachable): the debootstrap'd Debian root with this machine's .NET SDK and NuGet packages as the SDK image, the
/// same root with the .NET runtime as the runtime image. The image then runs as the seed did: a host root mounted
/// read-only at /host, the engine's socket, the store in /snapshots, WEBHOOK_URL to a receiver on loopback.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class ContainerImageTests(DebianRoot debian, OverlayDockerEngine engine) : IClassFixture<OverlayDockerEngine>, IAsyncLifetime
{
    private const string Tag = "infradiff-test/infradiff:ci";
    // The minimal root has no ICU (Microsoft's images do): .NET runs without culture data there.
    private const string Changes = "--change 'ENV PATH=/usr/share/dotnet:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1'";

    private static readonly string Repository = typeof(ContainerImageTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryDirectory").Value!;

    private readonly string work = Directory.CreateTempSubdirectory("idt-container-").FullName;
    private readonly WebhookReceiver receiver = new();

    public Task InitializeAsync() => receiver.StartAsync();

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await DebianRoot.TryRunAsync("rm", "-rf", work);
    }

    private async Task<string> ShellAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["DOCKER_HOST"] = engine.Endpoint;
        start.Environment["DOCKER_BUILDKIT"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script}\nexited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }

    private async Task BuildImageAsync()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : System.IO.Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dotnet = System.IO.Path.GetDirectoryName(File.ResolveLinkTarget("/usr/bin/dotnet", returnFinalTarget: true)?.FullName ?? "/usr/share/dotnet/dotnet")!;
        Assert.Equal("/usr/share/dotnet", dotnet);

        // The SDK image: Debian, the SDK, and the packages the build restores (offline: the build has no network).
        await ShellAsync(
            $"tar -C '{debian.Path}' -cf - . -C / usr/share/dotnet -C '{System.IO.Path.GetDirectoryName(packages)}' --transform 's,^{System.IO.Path.GetFileName(packages)},root/.nuget/packages,' '{System.IO.Path.GetFileName(packages)}'"
            + $" | docker import {Changes} - infradiff-test/sdk:10");
        await ShellAsync(
            $"tar -C '{debian.Path}' -cf - . -C / usr/share/dotnet/dotnet usr/share/dotnet/host usr/share/dotnet/shared/Microsoft.NETCore.App"
            + $" | docker import {Changes} - infradiff-test/runtime:10");
        await ShellAsync($"docker build --network none --build-arg SDK_IMAGE=infradiff-test/sdk:10 --build-arg RUNTIME_IMAGE=infradiff-test/runtime:10 -t {Tag} '{Repository}'");
    }

    /// <summary>docker run as the README shows it, one cycle; returns what the container printed.</summary>
    private Task<string> RunAsync(string host, string store) =>
        ShellAsync(
            $"docker run --rm --network host --pid host -e INFRADIFF_HOST_KERNEL=1 -v '{host}:/host:ro' -v '{engine.Endpoint["unix://".Length..]}:/var/run/docker.sock' -v '{store}:/snapshots'"
            + $" -e WEBHOOK_URL='{receiver.Url}' {Tag} --once --only files,users,docker,os --files /etc --heartbeat off 2>&1");

    [Fact]
    public async Task The_image_builds_and_watches_a_mounted_host_root_and_its_engine_and_alerts_a_loopback_receiver()
    {
        await BuildImageAsync();
        var host = System.IO.Path.Join(work, "host");
        Directory.CreateDirectory(System.IO.Path.Join(host, "etc"));
        File.WriteAllText(System.IO.Path.Join(host, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(System.IO.Path.Join(host, "etc", "hostname"), "ci-host\n");
        File.WriteAllText(System.IO.Path.Join(host, "etc", "app.conf"), "mode=blue\n");
        var store = Directory.CreateDirectory(System.IO.Path.Join(work, "store")).FullName;
        await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters { Name = "web", Image = DockerEngine.Image, Cmd = ["sleep", "300"] });

        var first = await RunAsync(host, store);
        File.WriteAllText(System.IO.Path.Join(host, "etc", "app.conf"), "mode=green\n");
        var second = await RunAsync(host, store);

        var snapshots = Directory.GetFiles(store, "snapshot-*.json").Order(StringComparer.Ordinal).ToList();
        Assert.True(snapshots.Count == 2, first + second);
        using var snapshot = JsonDocument.Parse(await File.ReadAllBytesAsync(snapshots[0]));
        Assert.Equal("ci-host", snapshot.RootElement.GetProperty("metadata").GetProperty("host").GetString());
        Assert.True(snapshot.RootElement.GetProperty("docker").GetProperty("containers").TryGetProperty("web", out _), "the engine's containers are seen through the socket");
        Assert.True(snapshot.RootElement.GetProperty("files").TryGetProperty("/etc/app.conf", out _), "the mounted root's files are read");
        Assert.Contains("cycle done", second, StringComparison.Ordinal);

        // --pid host --network host and INFRADIFF_HOST_KERNEL: the running kernel and the host's mounts are read, as on the host.
        Assert.True(snapshot.RootElement.TryGetProperty("os", out var os), snapshot.RootElement.GetProperty("metadata").GetProperty("collectors").ToString() + first);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), os.GetProperty("kernel").GetProperty("release").GetString());
        Assert.True(os.GetProperty("mounts").EnumerateObject().Any(m => m.Name == "/"), "the host's mounts, from its init");

        var alert = Assert.Single(receiver.Requests);
        using var body = JsonDocument.Parse(alert.Body);
        Assert.Contains(
            body.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("path").GetString()),
            path => path == "/files/~1etc~1app.conf");
    }
}
