namespace InfraDiff.Sections.Network;

/// <summary>The resolver configuration: order matters in each list.</summary>
internal sealed record ResolverConfig(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Search, IReadOnlyList<string> Options);

/// <summary>Parsers for resolv.conf(5), hosts(5) and nsswitch.conf(5).</summary>
internal static class DnsParsers
{
    public static ResolverConfig ParseResolvConf(string text)
    {
        List<string> nameservers = [], search = [], options = [];
        foreach (var fields in Lines(text))
        {
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    nameservers.Add(fields[1]);
                    break;
                case "search" or "domain":
                    // The last search or domain line wins, as in the resolver.
                    search = [.. fields.Skip(1)];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }

        return new ResolverConfig(nameservers, search, options);
    }

    /// <summary>Addresses with their names in order; an address on several lines gathers all its names.</summary>
    public static SortedDictionary<string, IReadOnlyList<string>> ParseHosts(string text)
    {
        var hosts = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var fields in Lines(text))
        {
            if (fields.Length < 2)
            {
                continue;
            }

            if (!hosts.TryGetValue(fields[0], out var names))
            {
                hosts[fields[0]] = names = [];
            }

            names.AddRange(fields.Skip(1).Where(n => !names.Contains(n)));
        }

        return new SortedDictionary<string, IReadOnlyList<string>>(hosts.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value), StringComparer.Ordinal);
    }

    /// <summary>The sources of the "hosts:" database, e.g. "files dns".</summary>
    public static string? ParseNsswitchHosts(string text) =>
        Lines(text).FirstOrDefault(f => f[0] == "hosts:") is { } fields ? string.Join(' ', fields.Skip(1)) : null;

    private static IEnumerable<string[]> Lines(string text) =>
        text.Split('\n')
            .Select(line => line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line)
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 0);
}
