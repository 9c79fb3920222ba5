using System.Text.RegularExpressions;

namespace InfraDiff.Fleet;

/// <summary>
/// Ansible's host patterns, the common forms: "all" or "*", a group, a host, a glob (web*), "~regex", joined by
/// ':' or ','; "&amp;group" intersects and "!group" excludes, applied after the plain parts whatever their order.
/// </summary>
internal static class HostPatterns
{
    public static IReadOnlyList<InventoryHost> Select(Inventory inventory, string? pattern, string patternName)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return inventory.Hosts;
        }

        var terms = pattern.Split(pattern.Contains(',', StringComparison.Ordinal) ? ',' : ':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var plain = terms.Where(t => t[0] is not ('&' or '!')).ToList();
        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in plain.Count == 0 ? ["all"] : plain)
        {
            selected.UnionWith(Match(inventory, term, patternName));
        }

        foreach (var term in terms.Where(t => t[0] == '&'))
        {
            selected.IntersectWith(Match(inventory, term[1..], patternName));
        }

        foreach (var term in terms.Where(t => t[0] == '!'))
        {
            selected.ExceptWith(Match(inventory, term[1..], patternName));
        }

        var hosts = inventory.Hosts.Where(h => selected.Contains(h.Name)).ToList();
        return hosts.Count > 0 ? hosts : throw new InvalidInventoryException($"{patternName}: '{Excerpt.Cut(pattern)}' selects no host of {inventory.Source}");
    }

    /// <summary>The hosts one term names; a term that names nothing is an error, not a silently smaller fleet.</summary>
    private static HashSet<string> Match(Inventory inventory, string term, string patternName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (term is "all" or "*")
        {
            names.UnionWith(inventory.Hosts.Select(h => h.Name));
            return names;
        }

        Func<string, bool> matches;
        if (term.StartsWith('~'))
        {
            var regex = Compile(term[1..], term, patternName);

            // Ansible anchors a pattern regex at the start (re.match).
            matches = name => regex.Match(name) is { Success: true, Index: 0 };
        }
        else if (term.AsSpan().IndexOfAny('*', '?', '[') >= 0)
        {
            matches = Compile("^" + Regex.Escape(term).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal).Replace("\\[", "[", StringComparison.Ordinal) + "$", term, patternName).IsMatch;
        }
        else
        {
            matches = name => name == term;
        }

        foreach (var (group, hosts) in inventory.Groups)
        {
            if (matches(group))
            {
                names.UnionWith(hosts);
            }
        }

        names.UnionWith(inventory.Hosts.Where(h => matches(h.Name)).Select(h => h.Name));
        return names.Count > 0 ? names : throw new InvalidInventoryException($"{patternName}: '{Excerpt.Cut(term)}' matches no group or host of {inventory.Source}");
    }

    /// <summary>A term's expression, matched in time linear in the name whatever it is: (a+)+$ cannot stall a fleet run.</summary>
    private static Regex Compile(string expression, string term, string patternName)
    {
        try
        {
            return new Regex(expression, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidInventoryException($"{patternName}: '{Excerpt.Cut(term)}' needs backtracking (a backreference, lookaround or atomic group), which infradiff does not run on an inventory's names", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidInventoryException($"{patternName}: '{Excerpt.Cut(term)}' is not a {(term.StartsWith('~') ? "regular expression" : "glob")} ({ex.Message})", ex);
        }
    }
}
