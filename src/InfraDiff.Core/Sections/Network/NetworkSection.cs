namespace InfraDiff.Sections.Network;

/// <summary>What the <c>network</c> section means: interfaces, routes, listening sockets, the firewall and DNS.</summary>
internal sealed class NetworkSection : SectionDescriptor
{
    public static NetworkSection Instance { get; } = new();

    private NetworkSection()
        : base("network")
    {
        Inputs = ["/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf"];
        EcsCategory = "network";
        Nouns =
        [
            new("interfaces", "interface"), new("routes", "route"), new("listening", "listening socket"),
            new("firewall", "firewall", keyed: false), new("dns", "dns", keyed: false),
        ];
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["runtime"] = ["/network/interfaces", "/network/routes", "/network/listening", "/network/firewall"] };
        SeverityRules =
        [
            // A chain that now accepts by default; a new listener reachable from outside.
            SeverityRule.Of("/network/firewall/**/policy", Severity.Critical, [ChangeKind.Replace], "new =~ (?i)^accept$"),
            SeverityRule.Of("/network/listening/*", Severity.High, [ChangeKind.Add], @"path !~ ~1(127\.|\[::1\]|\[::ffff:127\.)"),
            SeverityRule.Of("/network/firewall", Severity.High),
            SeverityRule.Of("/network", Severity.Medium),
        ];
    }
}
