using InfraDiff.Snapshots;

namespace InfraDiff.IntegrationTests.Network;

/// <summary>The network collector inside real network namespaces: each change appears as its own keyed change and nothing else moves.</summary>
public sealed class NetworkNamespaceTests : IDisposable
{
    private readonly NetworkNamespace ns = new();

    public void Dispose() => ns.Dispose();

    [Fact]
    public async Task Two_snapshots_of_an_unchanged_namespace_are_identical()
    {
        ns.Exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");
        ns.Exec("nft", "add", "table", "inet", "t");
        ns.Exec("nft", "add chain inet t input { type filter hook input priority 0 ; policy accept ; }");
        ns.Exec("nft", "add", "rule", "inet", "t", "input", "counter", "accept");
        ns.Exec("ping", "-c", "2", "-i", "0.2", "10.200.0.1");

        var first = await ns.SnapshotAsync();
        ns.Exec("ping", "-c", "3", "-i", "0.2", "10.200.0.1");
        var second = await ns.SnapshotAsync();

        Assert.Equal(SnapshotJson.ToCanonicalBytes(first.Sections["network"]), SnapshotJson.ToCanonicalBytes(second.Sections["network"]));
        Assert.Null(first.Metadata.Collectors["network"].Unavailable);
    }

    [Fact]
    public async Task A_changed_address_is_one_change_on_that_interface()
    {
        var before = await ns.SnapshotAsync();
        ns.Exec("ip", "addr", "add", "10.201.0.1/24", "dev", "v1");
        var after = await ns.SnapshotAsync();

        var changes = NetworkNamespace.Changes(before, after);

        Assert.Contains("add /network/interfaces/v1/addresses/0", changes);
        Assert.All(changes, c => Assert.True(c.Contains("/network/interfaces/v1/", StringComparison.Ordinal) || c.Contains("10.201.0.0~124", StringComparison.Ordinal), c));
        Assert.Contains("add /network/routes/ipv4 main 10.201.0.0~124", changes);
    }

    [Fact]
    public async Task An_added_route_is_one_keyed_change()
    {
        var before = await ns.SnapshotAsync();
        ns.Exec("ip", "route", "add", "192.0.2.0/24", "via", "10.200.0.2", "dev", "v0", "metric", "50");
        var after = await ns.SnapshotAsync();

        Assert.Equal(["add /network/routes/ipv4 main 192.0.2.0~124 metric 50"], NetworkNamespace.Changes(before, after));
        Assert.Equal("10.200.0.2", after.Sections["network"].GetProperty("routes").GetProperty("ipv4 main 192.0.2.0/24 metric 50").GetProperty("gateway").GetString());
    }

    [Fact]
    public async Task An_iptables_rule_is_one_added_rule_in_its_chain()
    {
        ns.Exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");
        var before = await ns.SnapshotAsync();
        ns.Exec("iptables", "-I", "INPUT", "1", "-s", "203.0.113.0/24", "-j", "DROP");
        var after = await ns.SnapshotAsync();

        var changes = NetworkNamespace.Changes(before, after);

        Assert.Contains("add /network/firewall/iptables/filter/INPUT/rules/0", changes);
        Assert.Equal("-s 203.0.113.0/24 -j DROP", after.Sections["network"].GetProperty("firewall").GetProperty("iptables").GetProperty("filter").GetProperty("INPUT").GetProperty("rules")[0].GetString());
        // iptables-nft keeps its rules in nftables too: the same rule shows there, and nowhere else.
        Assert.All(changes, c => Assert.StartsWith("add /network/firewall/", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_nftables_rule_is_one_added_rule_without_handles_or_counters()
    {
        ns.Exec("nft", "add", "table", "inet", "t");
        ns.Exec("nft", "add chain inet t input { type filter hook input priority 0 ; policy accept ; }");
        var before = await ns.SnapshotAsync();
        ns.Exec("nft", "add", "rule", "inet", "t", "input", "tcp", "dport", "8443", "counter", "drop");
        var after = await ns.SnapshotAsync();

        Assert.Equal(["add /network/firewall/nftables/inet t/chains/input/rules/0"], NetworkNamespace.Changes(before, after));
        var rule = after.Sections["network"].GetProperty("firewall").GetProperty("nftables").GetProperty("inet t").GetProperty("chains").GetProperty("input").GetProperty("rules")[0].GetRawText();
        Assert.DoesNotContain("handle", rule, StringComparison.Ordinal);
        Assert.DoesNotContain("packets", rule, StringComparison.Ordinal);
        Assert.Contains("8443", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listening_socket_appears_keyed_by_protocol_and_address_with_its_process_name()
    {
        var before = await ns.SnapshotAsync();
        ns.Start("python3", "-c", "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 8125)); s.listen(); print('ready', flush=True); time.sleep(120)");
        await WaitForListenerAsync("127.0.0.1:8125");
        var after = await ns.SnapshotAsync();

        Assert.Equal(["add /network/listening/tcp~1127.0.0.1:8125"], NetworkNamespace.Changes(before, after));
        var socket = after.Sections["network"].GetProperty("listening").GetProperty("tcp/127.0.0.1:8125");
        Assert.Equal(["python3"], socket.GetProperty("processes").EnumerateArray().Select(p => p.GetString()));
        Assert.DoesNotContain("pid", socket.GetRawText(), StringComparison.Ordinal);
    }

    private async Task WaitForListenerAsync(string local)
    {
        for (var i = 0; i < 100; i++)
        {
            var ss = await ns.RunAsync("ss", ["-tlnH"]);
            if (ss.StandardOutput.Contains(local, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"nothing listened on {local} within 5 s");
    }
}
