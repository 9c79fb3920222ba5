using System.Globalization;
using System.Text.Json;

namespace InfraDiff.Sections.Network;

/// <summary>An interface's configuration: nothing that moves by itself (no counters, no operstate, no address lifetimes, no ifindex).</summary>
internal sealed record NetworkInterface(string? Kind, string? Mac, int? Mtu, string AdminState, string? Master, IReadOnlyList<string> Addresses);

/// <summary>One route, without its expiry or carrier flags.</summary>
internal sealed record Route(string? Type, string? Gateway, IReadOnlyList<string>? Nexthops, string? Dev, string? Protocol, string? Scope, string? Prefsrc);

/// <summary>Parses iproute2's JSON output (<c>ip -j -d addr</c>, <c>ip -j route show table all</c>).</summary>
internal static class IpJsonParser
{
    public static SortedDictionary<string, NetworkInterface> ParseInterfaces(string json)
    {
        var interfaces = new SortedDictionary<string, NetworkInterface>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (String(link, "ifname") is not { } name)
            {
                continue;
            }

            var flags = link.TryGetProperty("flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            var kind = link.TryGetProperty("linkinfo", out var info) ? String(info, "info_kind") : null;
            var addresses = new List<string>();
            if (link.TryGetProperty("addr_info", out var addrs))
            {
                foreach (var addr in addrs.EnumerateArray())
                {
                    if (String(addr, "local") is { } local && addr.TryGetProperty("prefixlen", out var prefix))
                    {
                        addresses.Add($"{local}/{prefix.GetInt32().ToString(CultureInfo.InvariantCulture)}");
                    }
                }
            }

            addresses.Sort(StringComparer.Ordinal);
            interfaces[name] = new NetworkInterface(
                kind ?? String(link, "link_type"),
                String(link, "address"),
                link.TryGetProperty("mtu", out var mtu) ? mtu.GetInt32() : null,
                flags.Contains("UP") ? "up" : "down",
                String(link, "master"),
                addresses);
        }

        return interfaces;
    }

    /// <summary>
    /// Routes keyed "family table destination [metric N] [via gateways]", the kernel-managed local table left
    /// out unless asked. The family is read from the addresses, so one parser serves <c>ip -4</c> and <c>ip -6</c>.
    /// </summary>
    public static SortedDictionary<string, Route> ParseRoutes(string json, bool includeLocalTable = false)
    {
        var routes = new SortedDictionary<string, Route>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var route in document.RootElement.EnumerateArray())
        {
            var table = String(route, "table") ?? "main";
            if (String(route, "dst") is not { } destination || (table == "local" && !includeLocalTable))
            {
                continue;
            }

            var gateway = String(route, "gateway");
            IReadOnlyList<string>? nexthops = route.TryGetProperty("nexthops", out var hops)
                ? hops.EnumerateArray().Select(h => $"{String(h, "gateway") ?? "direct"} dev {String(h, "dev")}").Order(StringComparer.Ordinal).ToList()
                : null;
            var family = (destination + gateway + String(route, "prefsrc")).Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4";
            var key = $"{family} {table} {destination}";
            if (route.TryGetProperty("metric", out var metric))
            {
                key += $" metric {metric.GetInt64().ToString(CultureInfo.InvariantCulture)}";
            }

            if (nexthops is not null)
            {
                key += " via " + string.Join(",", nexthops);
            }

            var type = String(route, "type");
            routes[key] = new Route(type is null or "unicast" ? null : type, gateway, nexthops, String(route, "dev"), String(route, "protocol"), String(route, "scope"), String(route, "prefsrc"));
        }

        return routes;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
