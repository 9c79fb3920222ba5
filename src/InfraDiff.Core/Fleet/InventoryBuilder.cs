using System.Globalization;
using System.Text.RegularExpressions;

namespace InfraDiff.Fleet;

/// <summary>
/// What an inventory file declares (groups, their hosts, children and variables, hosts' own variables), gathered by
/// either parser and then resolved the way Ansible resolves it: membership through children, variables from "all"
/// down to the host.
/// </summary>
internal sealed partial class InventoryBuilder(string source)
{
    private readonly Dictionary<string, Group> groups = new(StringComparer.Ordinal);
    /// <summary>The most groups an inventory may declare, and how deep children may nest: a generated file beyond either fails instead of filling memory or the stack.</summary>
    private const int MaxGroups = 100_000;
    private const int MaxNesting = 64;

    private readonly Dictionary<string, Host> hosts = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public string Source => source;

    /// <summary>Declares a group (empty until given hosts or children).</summary>
    public void AddGroup(string name)
    {
        if (!GroupName().IsMatch(name))
        {
            throw Problem($"'{Excerpt.Cut(name)}' is not a group name (letters, digits, '_' and '-')");
        }

        if (!groups.ContainsKey(name))
        {
            if (groups.Count == MaxGroups)
            {
                throw Problem($"'{Excerpt.Cut(name)}': the inventory declares more than {MaxGroups} groups");
            }

            groups[name] = new Group();
        }
    }

    /// <summary>Adds a host (a range like web[01:20] adds each) to a group, with variables of its own.</summary>
    public void AddHosts(string group, string pattern, IEnumerable<KeyValuePair<string, string>> variables)
    {
        AddGroup(group);
        IReadOnlyList<string> names;
        try
        {
            names = HostRanges.Expand(pattern);
        }
        catch (FormatException ex)
        {
            throw Problem(ex.Message);
        }

        var own = variables.ToList();
        foreach (var name in names)
        {
            if (!HostName().IsMatch(name) || name is "." or ".." || name.StartsWith('-'))
            {
                // A name ssh would read as an option (-oProxyCommand=…) is refused here, before anything runs.
                throw Problem($"'{Excerpt.Cut(name)}' is not a host name (letters, digits, '.', '_', '-', ':' and '@', not starting with '-')");
            }

            if (!hosts.TryGetValue(name, out var host))
            {
                if (hosts.Count == HostRanges.MaxHosts)
                {
                    throw Problem($"'{Excerpt.Cut(pattern)}': the inventory holds more than {HostRanges.MaxHosts} hosts");
                }

                hosts[name] = host = new Host();
                order.Add(name);
            }

            host.Groups.Add(group);
            foreach (var (key, value) in own)
            {
                Keep(host.Variables, key, value);
            }
        }
    }

    public void AddChild(string parent, string child)
    {
        AddGroup(parent);
        AddGroup(child);
        groups[child].Parents.Add(parent);
    }

    public void AddGroupVariable(string group, string name, string value)
    {
        AddGroup(group);
        Keep(groups[group].Variables, name, value);
    }

    public InvalidInventoryException Problem(string message) => new($"inventory {source}: {message}");

    /// <summary>Resolves membership and variables, and checks the connection variables infradiff reads.</summary>
    public Inventory Build()
    {
        AddGroup("all");
        AddGroup("ungrouped");
        var depth = Depths();
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in groups.Keys)
        {
            members[name] = [];
        }

        var resolved = new List<InventoryHost>(hosts.Count);
        var ancestors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var host in order)
        {
            var declared = hosts[host];
            var direct = declared.Groups.Where(g => g != "all").ToList();
            if (direct.Count == 0 || direct.All(g => g == "ungrouped"))
            {
                direct = ["ungrouped"];
            }

            var all = new HashSet<string>(StringComparer.Ordinal) { "all" };
            foreach (var group in direct)
            {
                all.UnionWith(AncestorsOf(group, ancestors));
            }

            // Ansible's order: shallower groups first, siblings by name, so the deepest group's value wins; then the host's own.
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in all.OrderBy(g => depth[g]).ThenBy(g => g, StringComparer.Ordinal))
            {
                foreach (var (key, value) in groups[group].Variables)
                {
                    variables[key] = value;
                }
            }

            foreach (var (key, value) in declared.Variables)
            {
                variables[key] = value;
            }

            Check(host, variables);
            var sorted = all.OrderBy(g => g, StringComparer.Ordinal).ToList();
            foreach (var group in sorted)
            {
                members[group].Add(host);
            }

            resolved.Add(new InventoryHost(host, sorted, variables));
        }

        return new Inventory(source, resolved, members.ToDictionary(m => m.Key, m => (IReadOnlyList<string>)m.Value, StringComparer.Ordinal));
    }

    /// <summary>A group and every group it is a child of, through any number of children (once per group: Depths has refused cycles).</summary>
    private HashSet<string> AncestorsOf(string group, Dictionary<string, HashSet<string>> known)
    {
        if (known.TryGetValue(group, out var found))
        {
            return found;
        }

        var set = new HashSet<string>(StringComparer.Ordinal) { group };
        foreach (var parent in groups[group].Parents)
        {
            set.UnionWith(AncestorsOf(parent, known));
        }

        return known[group] = set;
    }

    /// <summary>Each group's distance from "all" through children; a cycle is refused (Ansible refuses it too), and so is nesting deeper than <see cref="MaxNesting"/>.</summary>
    private Dictionary<string, int> Depths()
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal) { ["all"] = 0 };
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        int Of(string group)
        {
            if (depth.TryGetValue(group, out var known))
            {
                return known;
            }

            if (!visiting.Add(group))
            {
                throw Problem($"group '{group}' is its own descendant (a cycle of children)");
            }

            if (visiting.Count > MaxNesting)
            {
                throw Problem($"group '{group}': children nest more than {MaxNesting} deep");
            }

            var parents = groups[group].Parents;
            var value = parents.Count == 0 ? 1 : parents.Max(Of) + 1;
            visiting.Remove(group);
            return depth[group] = value;
        }

        foreach (var group in groups.Keys)
        {
            Of(group);
        }

        return depth;
    }

    private void Check(string host, Dictionary<string, string> variables)
    {
        foreach (var name in new[] { "ansible_port", "ansible_ssh_port" })
        {
            if (variables.TryGetValue(name, out var port) && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
            {
                throw Problem($"host {host}: {name} '{Excerpt.Cut(port)}' is not a port (1–65535)");
            }
        }

        foreach (var name in new[] { "ansible_host", "ansible_ssh_host", "ansible_user", "ansible_ssh_user", "ansible_become_user" })
        {
            // A value ssh or sudo would read as an option (or a shell would split) is refused before anything runs.
            if (variables.TryGetValue(name, out var value) && (value.StartsWith('-') || !Word().IsMatch(value)))
            {
                throw Problem($"host {host}: {name} '{Excerpt.Cut(value)}' is not a host or user name");
            }
        }

        if (variables.TryGetValue("ansible_become", out var become) && !InventoryHost.IsTrue(become) && !InventoryHost.IsFalse(become))
        {
            throw Problem($"host {host}: ansible_become '{Excerpt.Cut(become)}' is not a boolean (true or false)");
        }
    }

    private static void Keep(Dictionary<string, string> into, string name, string value)
    {
        if (InventoryHost.KnownVariables.Contains(name))
        {
            into[name] = value;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_-]*$")]
    private static partial Regex GroupName();

    [GeneratedRegex("^[A-Za-z0-9_.:@%-]+$")]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z0-9_.:%\\[\\]@-]+$")]
    private static partial Regex Word();

    /// <summary>A host as declared: the groups that name it directly, in no order, and its own variables.</summary>
    private sealed class Host
    {
        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Group
    {
        public HashSet<string> Parents { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    }
}
