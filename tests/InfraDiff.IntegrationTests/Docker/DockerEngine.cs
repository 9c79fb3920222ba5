using System.Diagnostics;
using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace InfraDiff.IntegrationTests.Docker;

/// <summary>
/// A throwaway Docker engine of the tests' own: Debian's dockerd on a socket in a temporary folder (vfs storage,
/// no iptables, no default bridge), with a test image imported from a tar of busybox-static. Stopped by its PID.
/// </summary>
public class DockerEngine : IAsyncLifetime
{
    public const string Image = "infradiff-test/busybox:1";

    private readonly string storageDriver;

    public DockerEngine()
        : this("vfs")
    {
    }

    /// <summary>An engine on another storage driver (overlay2 for image builds, where vfs would copy every layer whole).</summary>
    protected DockerEngine(string storageDriver) => this.storageDriver = storageDriver;

    private readonly string directory = Directory.CreateTempSubdirectory("idt-dockerd-").FullName;
    private Process? dockerd;

    public string Endpoint => $"unix://{directory}/docker.sock";

    public DockerClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/sbin/dockerd"), "dockerd is missing: install Debian's docker.io (.ci/run does)");
        Assert.True(File.Exists("/bin/busybox"), "busybox is missing: install Debian's busybox-static (.ci/run does)");
        var start = new ProcessStartInfo("/usr/sbin/dockerd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--data-root", Path.Join(directory, "data"), "--exec-root", Path.Join(directory, "exec"),
            "-H", Endpoint, "--pidfile", Path.Join(directory, "docker.pid"),
            "--storage-driver", storageDriver, "--iptables=false", "--ip6tables=false", "--bridge=none",
        })
        {
            start.ArgumentList.Add(argument);
        }

        dockerd = Process.Start(start)!;
        dockerd.OutputDataReceived += (_, _) => { };
        dockerd.ErrorDataReceived += (_, _) => { };
        dockerd.BeginOutputReadLine();
        dockerd.BeginErrorReadLine();
        Client = new DockerClientBuilder().WithEndpoint(new Uri(Endpoint)).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await Client.System.PingAsync();
                break;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !dockerd.HasExited)
            {
                await Task.Delay(100);
            }
        }

        await using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var applet in new[] { "sh", "sleep", "true" })
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            }
        }

        tar.Position = 0;
        await Client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = "infradiff-test/busybox", Tag = "1" }, tar, null, new Progress<JSONMessage>());
    }

    public virtual Task DisposeAsync()
    {
        Client?.Dispose();
        if (dockerd is { HasExited: false })
        {
            // SIGTERM by PID lets dockerd stop its containers and containerd before it exits.
            Process.Start("kill", ["-TERM", dockerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!dockerd.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                dockerd.Kill(entireProcessTree: true);
            }
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A mount dockerd left behind keeps its folder; the temporary directory is the system's to clean.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngine>
{
    public const string Name = "docker engine";
}
