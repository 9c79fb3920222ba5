using System.Text.Json;
using InfraDiff.Sections.Network;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

public sealed class NetworkParserTests
{
    [Fact]
    public void Parses_real_ip_addr_json_without_counters_lifetimes_or_indexes()
    {
        var interfaces = IpJsonParser.ParseInterfaces(Fixtures.Read("commands/debian12-netns-ip-j-d-addr.json"));

        Assert.Equal(["br77", "fxb", "lo"], interfaces.Keys);
        Assert.Equal("veth", interfaces["fxb"].Kind);
        Assert.Equal("bridge", interfaces["br77"].Kind);
        Assert.Equal(["10.77.0.2/24", "fd77::2/64"], interfaces["fxb"].Addresses.Where(a => !a.StartsWith("fe80", StringComparison.Ordinal)));
        Assert.Equal("up", interfaces["lo"].AdminState);
        var json = JsonSerializer.Serialize(interfaces);
        Assert.DoesNotContain("life", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ifindex", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Keys_real_routes_by_family_table_destination_and_metric_leaving_out_the_local_table()
    {
        var routes = IpJsonParser.ParseRoutes(Fixtures.Read("commands/debian12-netns-ip-j-route-table-all.json"));

        Assert.Contains("ipv4 main default metric 100", routes.Keys);
        Assert.Equal("10.77.0.1", routes["ipv4 main default metric 100"].Gateway);
        Assert.Equal("static", routes["ipv4 main 10.88.0.0/16"].Protocol);
        Assert.Equal("fd77::1", routes["ipv6 main default metric 1024"].Gateway);
        Assert.DoesNotContain(routes.Keys, k => k.Contains(" local ", StringComparison.Ordinal));
        Assert.Contains(IpJsonParser.ParseRoutes(Fixtures.Read("commands/debian12-netns-ip-6-j-route-table-all.json"), includeLocalTable: true).Keys, k => k.StartsWith("ipv6 local ", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_multipath_routes_by_their_gateways()
    {
        const string json = """[{"dst":"default","metric":10,"nexthops":[{"gateway":"10.0.0.2","dev":"eth1","weight":1},{"gateway":"10.0.0.1","dev":"eth0","weight":1}]}]""";

        var route = Assert.Single(IpJsonParser.ParseRoutes(json));

        Assert.Equal("ipv4 main default metric 10 via 10.0.0.1 dev eth0,10.0.0.2 dev eth1", route.Key);
    }

    [Fact]
    public void Parses_real_ss_output_keyed_by_protocol_and_address_with_process_names_only()
    {
        var sockets = SocketParsers.ParseSs(Fixtures.Read("commands/debian12-netns-ss-tulpnH.txt"));

        Assert.Equal(["tcp/0.0.0.0:8080", "udp/*:5353"], sockets.Keys);
        Assert.Equal(["python3"], sockets["tcp/0.0.0.0:8080"].Processes);
    }

    [Fact]
    public void Parses_ss_ipv6_scoped_and_multi_process_lines_and_skips_connected_ones()
    {
        const string text = "tcp   LISTEN 0      511        [::]:80                 [::]:*       users:((\"nginx\",pid=12,fd=7),(\"nginx\",pid=11,fd=7))\n"
            + "udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*    users:((\"systemd-resolve\",pid=556,fd=13))\n"
            + "tcp   ESTAB  0      0      10.0.0.1:22   10.0.0.2:5000\n";

        var sockets = SocketParsers.ParseSs(text);

        Assert.Equal(["tcp6/[::]:80", "udp/127.0.0.53%lo:53"], sockets.Keys);
        Assert.Equal(["nginx"], sockets["tcp6/[::]:80"].Processes);
    }

    [Fact]
    public void Ss_garbage_is_rejected_not_read_as_no_sockets()
    {
        var error = Assert.Throws<FormatException>(() => SocketParsers.ParseSs("tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nSegmentation fault\n"));

        Assert.Equal("not ss -tulpnH output: Segmentation fault", error.Message);
    }

    [Fact]
    public void Parses_proc_net_tables_for_hosts_without_ss()
    {
        const string tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 609 1 000000001afc669e 100 0 0 10 0\n"
            + "   1: 020200C0:E24C 507100CB:0050 01 00000000:00000000 03:00001148 00000000     0        0 0 3 00000000ffe99dd4\n";
        const string tcp6 = "  sl  local_address                         remote_address                        st\n"
            + "   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1\n";
        var owners = new Dictionary<string, IReadOnlyList<string>> { ["609"] = ["sshd"] };

        var sockets = SocketParsers.ParseProcNet(tcp, "tcp", owners).Concat(SocketParsers.ParseProcNet(tcp6, "tcp6", owners)).ToDictionary();

        Assert.Equal(["sshd"], sockets["tcp/0.0.0.0:2024"].Processes);
        Assert.Empty(sockets["tcp6/[::1]:22"].Processes);
        Assert.Equal(2, sockets.Count);
    }

    [Fact]
    public void Parses_real_iptables_save_without_counters_or_timestamps()
    {
        var tables = FirewallParsers.ParseIptablesSave(Fixtures.Read("commands/debian12-netns-iptables-save.txt"));

        Assert.Equal(["filter", "nat"], tables.Keys);
        Assert.Equal("DROP", tables["filter"]["FORWARD"].Policy);
        Assert.Null(tables["filter"]["LOGDROP"].Policy);
        Assert.Equal(["-p tcp -m tcp --dport 22 -j ACCEPT"], tables["filter"]["INPUT"].Rules);
        Assert.Equal(["-s 10.77.0.0/24 -j MASQUERADE"], tables["nat"]["POSTROUTING"].Rules);
        Assert.Equal(["-p ipv6-icmp -j ACCEPT"], FirewallParsers.ParseIptablesSave(Fixtures.Read("commands/debian12-netns-ip6tables-save.txt"))["filter"]["INPUT"].Rules);
    }

    [Fact]
    public void Drops_rule_counters()
    {
        var tables = FirewallParsers.ParseIptablesSave("# Generated by iptables-save\n*filter\n:INPUT ACCEPT [12:3456]\n-A INPUT -c 5 600 -j ACCEPT\nCOMMIT\n");

        Assert.Equal(["-j ACCEPT"], tables["filter"]["INPUT"].Rules);
        Assert.Equal(["filter"], tables.Keys);
    }

    [Theory]
    [InlineData("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*raw\n:PREROUTING ACCEPT [0:0]\n", "table raw has no COMMIT: the output was cut short")]
    [InlineData("iptables v1.8.9 (nf_tables): Could not fetch rule set generation id\n", "line 1 is not iptables-save output: iptables v1.8.9 (nf_tables): Could not fetch rule set gener…")]
    public void Output_cut_short_or_garbage_is_rejected_not_read_as_no_rules(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => FirewallParsers.ParseIptablesSave(text));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parses_real_nft_json_into_tables_chains_rules_and_sets_without_handles_or_counts()
    {
        var tables = FirewallParsers.ParseNftJson(Fixtures.Read("commands/debian12-netns-nft-j-list-ruleset.json"));

        var fx = tables["inet fx"];
        var input = fx["chains"]!["input"]!;
        Assert.Equal("input", input["hook"]!.GetValue<string>());
        Assert.Equal("accept", input["policy"]!.GetValue<string>());
        Assert.Single(input["rules"]!.AsArray());
        Assert.NotNull(fx["sets"]!["blocked"]);
        var text = string.Join("", tables.Values.Select(t => t.ToJsonString()));
        Assert.DoesNotContain("\"handle\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"packets\"", text, StringComparison.Ordinal);
        Assert.Contains("ip filter", tables.Keys);
    }

    [Fact]
    public void Parses_resolv_conf_hosts_and_nsswitch()
    {
        var resolv = DnsParsers.ParseResolvConf("# generated\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch a.example b.example\noptions edns0 trust-ad\n");
        var hosts = DnsParsers.ParseHosts("127.0.0.1 localhost\n::1 localhost ip6-localhost # loopback\n127.0.0.1 web1\nbroken\n");

        Assert.Equal(["10.0.0.2", "10.0.0.3"], resolv.Nameservers);
        Assert.Equal(["a.example", "b.example"], resolv.Search);
        Assert.Equal(["edns0", "trust-ad"], resolv.Options);
        Assert.Equal(["localhost", "web1"], hosts["127.0.0.1"]);
        Assert.Equal(["localhost", "ip6-localhost"], hosts["::1"]);
        Assert.Equal("files dns", DnsParsers.ParseNsswitchHosts("passwd: files\nhosts:          files dns\n"));
    }
}
