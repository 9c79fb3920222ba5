using InfraDiff.Host;

namespace InfraDiff.Sections.Network;

/// <summary>
/// The <c>network</c> section: interfaces, routes, listening sockets, firewall rules (iptables and nftables,
/// whichever exist) and DNS. A missing tool marks its part unavailable; it is not an error.
/// </summary>
internal sealed class NetworkCollector : ICollector
{
    public string Name => NetworkSection.Instance.Name;

    public SectionDescriptor Section => NetworkSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var section = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (context.Kernel is not null)
        {
            // Interfaces, routes, sockets and rules belong to a running kernel: a --root image has none.
            var interfaces = RunPartAsync(context, "interfaces", "ip", ["-j", "-d", "addr", "show"], IpJsonParser.ParseInterfaces, cancellationToken);
            var routes4 = RunPartAsync(context, "routes", "ip", ["-4", "-j", "route", "show", "table", "all"], json => IpJsonParser.ParseRoutes(json), cancellationToken);
            var routes6 = RunPartAsync(context, "routes", "ip", ["-6", "-j", "route", "show", "table", "all"], json => IpJsonParser.ParseRoutes(json), cancellationToken);
            var listening = ListeningAsync(context, cancellationToken);
            var iptables = RunPartAsync(context, "firewall.iptables", "iptables-save", [], FirewallParsers.ParseIptablesSave, cancellationToken);
            var ip6tables = RunPartAsync(context, "firewall.ip6tables", "ip6tables-save", [], FirewallParsers.ParseIptablesSave, cancellationToken);
            var nft = RunPartAsync(context, "firewall.nftables", "nft", ["-j", "list", "ruleset"], FirewallParsers.ParseNftJson, cancellationToken);

            Add(section, "interfaces", await interfaces.ConfigureAwait(false));
            if (await routes4.ConfigureAwait(false) is { } v4 && await routes6.ConfigureAwait(false) is { } v6)
            {
                section["routes"] = new SortedDictionary<string, Route>(v4.Concat(v6).ToDictionary(), StringComparer.Ordinal);
            }

            Add(section, "listening", await listening.ConfigureAwait(false));
            var firewall = new SortedDictionary<string, object>(StringComparer.Ordinal);
            Add(firewall, "iptables", await iptables.ConfigureAwait(false));
            Add(firewall, "ip6tables", await ip6tables.ConfigureAwait(false));
            Add(firewall, "nftables", await nft.ConfigureAwait(false));
            section["firewall"] = firewall;
        }
        else
        {
            context.ReportUnavailable("runtime", "interfaces, routes, sockets and firewall rules belong to a running system, not to the files under a root directory");
        }

        section["dns"] = Dns(context);
        return section;
    }

    private static void Add(SortedDictionary<string, object> target, string key, object? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }

    /// <summary>
    /// Runs one part's command: a missing tool marks the part unavailable; a tool that fails or prints what its
    /// parser rejects marks it failed (never an empty part, which a diff would read as everything removed).
    /// </summary>
    private static async Task<T?> RunPartAsync<T>(CollectionContext context, string part, string program, IReadOnlyList<string> arguments, Func<string, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return parse(await context.Commands.RunCheckedAsync(program, arguments, cancellationToken).ConfigureAwait(false));
        }
        catch (CommandNotFoundException ex)
        {
            context.ReportUnavailable(part, ex.Message);
        }
        catch (CommandFailedException ex)
        {
            context.ReportFailed(part, ex.Message);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            context.ReportFailed(part, $"{program} printed what infradiff cannot read: {ex.Message}");
        }

        return null;
    }

    private static async Task<SortedDictionary<string, ListeningSocket>?> ListeningAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return SocketParsers.ParseSs(await context.Commands.RunCheckedAsync("ss", ["-tulpnH"], cancellationToken).ConfigureAwait(false));
        }
        catch (CommandNotFoundException)
        {
            return FromProc(context);
        }
        catch (CommandFailedException ex)
        {
            context.ReportFailed("listening", ex.Message);
        }
        catch (FormatException ex)
        {
            context.ReportFailed("listening", $"ss printed what infradiff cannot read: {ex.Message}");
        }

        return null;
    }

    /// <summary>Without ss: the kernel's socket tables, with owners found through each process's open descriptors.</summary>
    private static SortedDictionary<string, ListeningSocket> FromProc(CollectionContext context)
    {
        var owners = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var process in context.Files.ListDirectories("/proc").Where(p => Path.GetFileName(p).All(char.IsAsciiDigit)))
        {
            var name = context.Files.ReadTextOrNull(process + "/comm")?.Trim();
            IEnumerable<string> descriptors;
            try
            {
                descriptors = Directory.EnumerateFileSystemEntries(context.Files.MapPath(process + "/fd")).ToList();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            foreach (var descriptor in descriptors)
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (name is not null && target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    var inode = target[8..^1];
                    if (!owners.TryGetValue(inode, out var names))
                    {
                        owners[inode] = names = [];
                    }

                    if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        var readOnlyOwners = owners.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)o.Value.Order(StringComparer.Ordinal).ToList());
        var sockets = new SortedDictionary<string, ListeningSocket>(StringComparer.Ordinal);
        foreach (var protocol in new[] { "tcp", "tcp6", "udp", "udp6" })
        {
            foreach (var (key, socket) in SocketParsers.ParseProcNet(context.Files.ReadTextOrNull("/proc/net/" + protocol) ?? "", protocol, readOnlyOwners))
            {
                sockets[key] = socket;
            }
        }

        return sockets;
    }

    private static SortedDictionary<string, object> Dns(CollectionContext context)
    {
        var dns = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (context.Files.ReadTextOrNull("/etc/resolv.conf") is { } resolv)
        {
            dns["resolvConf"] = DnsParsers.ParseResolvConf(resolv);
        }

        if (context.Files.ReadTextOrNull("/etc/hosts") is { } hosts)
        {
            dns["hosts"] = DnsParsers.ParseHosts(hosts);
        }

        if (context.Files.ReadTextOrNull("/etc/nsswitch.conf") is { } nsswitch && DnsParsers.ParseNsswitchHosts(nsswitch) is { } sources)
        {
            dns["nsswitchHosts"] = sources;
        }

        // systemd-resolved writes the upstream servers it uses here; /etc/resolv.conf then points at its stub.
        if (context.Files.ReadTextOrNull("/run/systemd/resolve/resolv.conf") is { } upstream)
        {
            dns["resolvedUpstream"] = DnsParsers.ParseResolvConf(upstream).Nameservers;
        }

        return dns;
    }
}
