using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace InfraDiff.IntegrationTests.Fleet;

/// <summary>
/// A fleet on loopback: one real OpenSSH sshd per host, each on its own port with its own host key and in its own
/// UTS namespace (so each reports its own host name), a client key and known_hosts for them, and the self-contained
/// tool built once by deploy/fleet/fleet-tools.sh. Hosts web01–web04 snapshot copies of the fixture root (web02
/// with a package changed, web03 with an extra user); live01 snapshots itself; down01 has no sshd; badkey01 is
/// known by another key than the one it holds; nokey01 does not accept the client's key; silent01 accepts TCP and
/// never says a word; full01's cache directory is a 1 MiB tmpfs, too small for the tool.
/// </summary>
public sealed class SimulatedHosts : IAsyncLifetime
{
    public static readonly string Repository = typeof(SimulatedHosts).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryDirectory").Value!;

    private readonly List<Process> daemons = [];
    private readonly TcpListener silent = new(IPAddress.Loopback, 0);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("infradiff-fleet-").FullName;

    public string Tools => Path.Join(Directory, "tools");

    public string SshConfig => Path.Join(Directory, "ssh_config");

    /// <summary>Each host's port.</summary>
    public Dictionary<string, int> Ports { get; } = new(StringComparer.Ordinal);

    public string RootOf(string host) => Path.Join(Directory, "roots", host);

    /// <summary>The host's own cache directory (its sshd sets XDG_CACHE_HOME), where the tool is copied to.</summary>
    public string CacheOf(string host) => Path.Join(Directory, "cache", host);

    public async Task InitializeAsync()
    {
        var build = Tool.RunCheckedAsync("bash", [Path.Join(Repository, "deploy/fleet/fleet-tools.sh"), "-o", Tools, "linux-x64"]);
        System.IO.Directory.CreateDirectory("/run/sshd");
        await Tool.RunCheckedAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(Directory, "client")]);
        var knownHosts = new List<string>();
        await Tool.RunCheckedAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(Directory, "stranger")]);
        System.IO.Directory.CreateDirectory(CacheOf("full01"));
        await Tool.RunCheckedAsync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", CacheOf("full01")]);
        silent.Start();
        Ports["silent01"] = ((IPEndPoint)silent.LocalEndpoint).Port;
        foreach (var host in new[] { "web01", "web02", "web03", "web04", "live01", "badkey01", "down01", "nokey01", "full01" })
        {
            Ports[host] = FreePort();
            if (host == "down01")
            {
                continue;
            }

            var key = Path.Join(Directory, $"hostkey-{host}");
            await Tool.RunCheckedAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
            var known = host == "badkey01" ? await OtherKeyAsync() : (await File.ReadAllTextAsync(key + ".pub")).Trim();
            knownHosts.Add($"[127.0.0.1]:{Ports[host]} {string.Join(' ', known.Split(' ')[..2])}");
            var config = Path.Join(Directory, $"sshd-{host}.conf");
            await File.WriteAllTextAsync(config, $"""
                Port {Ports[host]}
                ListenAddress 127.0.0.1
                HostKey {key}
                PidFile {Path.Join(Directory, $"sshd-{host}.pid")}
                UsePAM no
                PermitRootLogin prohibit-password
                AuthorizedKeysFile {Path.Join(Directory, host == "nokey01" ? "stranger.pub" : "client.pub")}
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                Subsystem sftp internal-sftp
                LogLevel ERROR
                SetEnv XDG_CACHE_HOME={CacheOf(host)}

                """);
            var start = new ProcessStartInfo("unshare", ["--uts", "sh", "-c", $"hostname {host} && exec /usr/sbin/sshd -D -e -f {config}"]) { RedirectStandardError = true };
            var daemon = Process.Start(start)!;
            daemons.Add(daemon);
            await WaitForAsync(Ports[host], daemon);
        }

        await File.WriteAllLinesAsync(Path.Join(Directory, "known_hosts"), knownHosts);
        await File.WriteAllTextAsync(SshConfig, $"""
            Host *
              UserKnownHostsFile {Path.Join(Directory, "known_hosts")}
              GlobalKnownHostsFile /dev/null
              IdentityFile {Path.Join(Directory, "client")}
              IdentitiesOnly yes
              StrictHostKeyChecking yes
              User root

            """);

        var fixtureRoot = Path.Join(Repository, "tests/InfraDiff.Core.Tests/fixtures/debian12/root");
        System.IO.Directory.CreateDirectory(Path.Join(Directory, "roots"));
        foreach (var host in new[] { "web01", "web02", "web03", "web04" })
        {
            await Tool.RunCheckedAsync("cp", ["-a", fixtureRoot, RootOf(host)]);
        }

        var status = Path.Join(RootOf("web02"), "var/lib/dpkg/status");
        await File.WriteAllTextAsync(status, (await File.ReadAllTextAsync(status)).Replace("Version: 5.2.15-2+b8", "Version: 5.2.15-2+b9", StringComparison.Ordinal));
        await File.AppendAllTextAsync(Path.Join(RootOf("web03"), "etc/passwd"), "mallory:x:1666:1666::/home/mallory:/bin/bash\n");
        await build;
    }

    /// <summary>An INI inventory of every host; <paramref name="become"/> names a host run through sudo.</summary>
    public string IniInventory(string? become = null) => $"""
        # the simulated fleet
        [web]
        {string.Join('\n', new[] { "web01", "web02", "web03", "web04" }.Select(h => $"{h} ansible_port={Ports[h]} infradiff_root={RootOf(h)}{(h == become ? " ansible_become=true" : "")}"))}

        [live]
        live01 ansible_port={Ports["live01"]}

        [broken]
        badkey01 ansible_port={Ports["badkey01"]}
        down01 ansible_port={Ports["down01"]}

        [faulty]
        nokey01 ansible_port={Ports["nokey01"]}
        silent01 ansible_port={Ports["silent01"]}
        full01 ansible_port={Ports["full01"]}

        [all:vars]
        ansible_host=127.0.0.1
        ansible_ssh_common_args="-F {SshConfig}"
        """;

    /// <summary>The same fleet as a YAML inventory, the web hosts as a range under a child group.</summary>
    public string YamlInventory() => $"""
        all:
          vars:
            ansible_host: 127.0.0.1
            ansible_ssh_common_args: -F {SshConfig}
          children:
            prod:
              children:
                web:
                  hosts:
        {string.Join('\n', new[] { "web01", "web02", "web03", "web04" }.Select(h => $"            {h}:\n              ansible_port: {Ports[h]}\n              infradiff_root: {RootOf(h)}"))}
            live:
              hosts:
                live01:
                  ansible_port: {Ports["live01"]}
        """;

    public async Task DisposeAsync()
    {
        silent.Stop();
        await Tool.RunAsync("umount", [CacheOf("full01")]);
        foreach (var daemon in daemons)
        {
            // unshare execs sh, which execs sshd: the PID started is the daemon's.
            if (!daemon.HasExited)
            {
                daemon.Kill();
                daemon.WaitForExit();
            }

            daemon.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task<string> OtherKeyAsync()
    {
        var other = Path.Join(Directory, "not-the-host-key");
        await Tool.RunCheckedAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
        return (await File.ReadAllTextAsync(other + ".pub")).Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(int port, Process daemon)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (!daemon.HasExited)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"sshd on port {port} did not start: {(daemon.HasExited ? await daemon.StandardError.ReadToEndAsync() : "still not listening")}");
    }
}

[CollectionDefinition(nameof(SimulatedHostsCollection))]
public sealed class SimulatedHostsCollection : ICollectionFixture<SimulatedHosts>;
