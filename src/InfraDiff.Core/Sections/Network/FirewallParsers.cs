using System.Text.Json.Nodes;

namespace InfraDiff.Sections.Network;

/// <summary>An iptables chain: its policy (built-in chains) and its rules in order, without counters.</summary>
internal sealed record IptablesChain(string? Policy, IReadOnlyList<string> Rules);

/// <summary>Parsers for the two firewall backends.</summary>
internal static class FirewallParsers
{
    /// <summary>
    /// Parses iptables-save/ip6tables-save: "*table", ":CHAIN POLICY [packets:bytes]", "-A CHAIN rule…", "COMMIT".
    /// Counters, comments and timestamps are dropped; rules keep their order, which is their meaning.
    /// </summary>
    public static SortedDictionary<string, SortedDictionary<string, IptablesChain>> ParseIptablesSave(string text)
    {
        var tables = new SortedDictionary<string, SortedDictionary<string, IptablesChain>>(StringComparer.Ordinal);
        SortedDictionary<string, (string? Policy, List<string> Rules)>? chains = null;
        string? table = null;
        var number = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            number++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('*'))
            {
                table = line[1..];
                chains = new(StringComparer.Ordinal);
            }
            else if (line.StartsWith(':') && chains is not null)
            {
                var fields = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2)
                {
                    chains[fields[0]] = (fields[1] == "-" ? null : fields[1], []);
                }
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal) && chains is not null)
            {
                var fields = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 3 && chains.TryGetValue(fields[1], out var chain))
                {
                    chain.Rules.Add(StripCounters(fields[2]));
                }
            }
            else if (line == "COMMIT" && table is not null && chains is not null)
            {
                tables[table] = new SortedDictionary<string, IptablesChain>(
                    chains.ToDictionary(c => c.Key, c => new IptablesChain(c.Value.Policy, c.Value.Rules)),
                    StringComparer.Ordinal);
                table = null;
                chains = null;
            }
            else
            {
                throw new FormatException($"line {number} is not iptables-save output: {Excerpt.Cut(line)}");
            }
        }

        return table is null ? tables : throw new FormatException($"table {table} has no COMMIT: the output was cut short");
    }

    /// <summary>"-c packets bytes" appears in a rule saved with counters.</summary>
    private static string StripCounters(string rule)
    {
        var fields = rule.Split(' ').ToList();
        var at = fields.IndexOf("-c");
        if (at >= 0 && at + 2 < fields.Count)
        {
            fields.RemoveRange(at, 3);
        }

        return string.Join(' ', fields);
    }

    /// <summary>
    /// Parses <c>nft -j list ruleset</c> into tables keyed "family name", each with chains (type, hook,
    /// priority, policy, and rules in order as their expressions) and sets. Handles and counter values are
    /// stripped: they are allocation order and traffic, not configuration.
    /// </summary>
    public static SortedDictionary<string, JsonObject> ParseNftJson(string json)
    {
        var tables = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var root = JsonNode.Parse(json)?["nftables"]?.AsArray() ?? [];
        JsonObject Table(JsonNode item)
        {
            var key = $"{item["family"]} {item["table"] ?? item["name"]}";
            if (!tables.TryGetValue(key, out var table))
            {
                tables[key] = table = new JsonObject { ["chains"] = new JsonObject(), ["sets"] = new JsonObject() };
            }

            return table;
        }

        foreach (var entry in root)
        {
            if (entry?["table"] is JsonObject table)
            {
                Table(table);
            }
            else if (entry?["chain"] is JsonObject chain)
            {
                var chains = Table(chain)["chains"]!.AsObject();
                var name = chain["name"]!.GetValue<string>();
                var existing = chains[name]?.AsObject() ?? new JsonObject { ["rules"] = new JsonArray() };
                foreach (var property in new[] { "type", "hook", "prio", "policy", "dev" })
                {
                    if (chain[property] is { } value)
                    {
                        existing[property == "prio" ? "priority" : property] = value.DeepClone();
                    }
                }

                chains[name] = existing;
            }
            else if (entry?["rule"] is JsonObject rule)
            {
                var chains = Table(rule)["chains"]!.AsObject();
                var name = rule["chain"]!.GetValue<string>();
                if (chains[name] is not JsonObject target)
                {
                    chains[name] = target = new JsonObject { ["rules"] = new JsonArray() };
                }

                target["rules"]!.AsArray().Add(Clean(rule["expr"]?.DeepClone()));
            }
            else if (entry?["set"] is JsonObject set)
            {
                var copy = Clean(set.DeepClone())!.AsObject();
                foreach (var identity in new[] { "family", "table", "name" })
                {
                    copy.Remove(identity);
                }

                Table(set)["sets"]![set["name"]!.GetValue<string>()] = copy;
            }
        }

        return tables;
    }

    /// <summary>Removes "handle" everywhere and the packet and byte counts of counter expressions.</summary>
    private static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("handle");
                if (obj["counter"] is JsonObject counter)
                {
                    counter.Remove("packets");
                    counter.Remove("bytes");
                }

                foreach (var (_, value) in obj.ToList())
                {
                    Clean(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Clean(item);
                }

                break;
        }

        return node;
    }
}
