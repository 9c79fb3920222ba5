using System.Text.Json;
using InfraDiff.Fleet;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Fleet;

public sealed class InventoryTests
{
    /// <summary>Debian's ansible is the oracle: its ansible-inventory resolves groups, children and variable precedence.</summary>
    [Theory]
    [InlineData("inventories/datacenters.ini")]
    [InlineData("inventories/datacenters.yml")]
    public void Reads_an_inventory_as_ansible_inventory_does(string fixture)
    {
        var path = Fixtures.PathOf(fixture);
        var inventory = Inventory.Load(path);
        using var ansible = JsonDocument.Parse(Fixtures.RunTool("ansible-inventory", "-i", path, "--list"));
        var root = ansible.RootElement;

        var expectedHosts = root.GetProperty("_meta").GetProperty("hostvars").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expectedHosts, inventory.Hosts.Select(h => h.Name).Order(StringComparer.Ordinal));
        foreach (var group in root.EnumerateObject().Where(g => g.Name != "_meta"))
        {
            Assert.Equal(AnsibleMembers(root, group.Name).Order(StringComparer.Ordinal), inventory.Groups[group.Name].Order(StringComparer.Ordinal));
        }

        foreach (var host in inventory.Hosts)
        {
            var expected = root.GetProperty("_meta").GetProperty("hostvars").GetProperty(host.Name).EnumerateObject()
                .Where(v => InventoryHost.KnownVariables.Contains(v.Name))
                .ToDictionary(v => v.Name, v => Boolean(v.Name, v.Value.ValueKind switch { JsonValueKind.True => "true", JsonValueKind.False => "false", _ => v.Value.ToString() }));
            var actual = host.Variables.ToDictionary(v => v.Key, v => Boolean(v.Key, v.Value));
            Assert.Equal(expected.OrderBy(v => v.Key), actual.OrderBy(v => v.Key));
        }
    }

    [Fact]
    public void Resolves_connection_settings_with_the_deepest_group_winning()
    {
        var inventory = Inventory.Load(Fixtures.PathOf("inventories/datacenters.ini"));
        var host1 = inventory.Hosts.Single(h => h.Name == "host1");
        var bar = inventory.Hosts.Single(h => h.Name == "bar.example.com");
        var one = inventory.Hosts.Single(h => h.Name == "one.example.com");

        Assert.Equal(("host1", 2222, "atl", "/home/ops/.ssh/atlanta"), (host1.Address, host1.Port, host1.User, host1.IdentityFile));
        Assert.Equal(("bar.example.com", 5309, "deploy"), (bar.Address, bar.Port, bar.User));
        Assert.Equal(("192.0.2.50", true, "postgres"), (one.Address, one.Become, one.BecomeUser));
        Assert.Equal("southops", inventory.Hosts.Single(h => h.Name == "host3").User);
        Assert.Contains("southeast", host1.Groups);
    }

    [Fact]
    public void Keeps_no_variable_it_does_not_use_such_as_a_password()
    {
        var inventory = Inventory.Load(Fixtures.PathOf("inventories/datacenters.ini"));

        Assert.DoesNotContain(inventory.Hosts, h => h.Variables.ContainsKey("ansible_password") || h.Variables.Values.Contains("not kept"));
        Assert.DoesNotContain(inventory.Hosts, h => h.Variables.ContainsKey("http_port"));
    }

    [Fact]
    public void Reads_a_plain_list_of_user_at_host_and_port()
    {
        var hosts = Inventory.Load(Fixtures.PathOf("inventories/plain.list")).Hosts;

        Assert.Equal(
            [("web01.example.com", "ops", (int?)null), ("web02.example.com", null, 2222), ("192.0.2.10", "root", 2200), ("2001:db8::10", null, 22)],
            hosts.Select(h => (h.Address, h.User, h.Port)));
        Assert.All(hosts, h => Assert.Equal(["all", "ungrouped"], h.Groups));
    }

    [Theory]
    [InlineData("web[01:03]", "web01 web02 web03")]
    [InlineData("web[1:3]", "web1 web2 web3")]
    [InlineData("db-[a:c].example.com", "db-a.example.com db-b.example.com db-c.example.com")]
    [InlineData("n[0:6:3]", "n0 n3 n6")]
    [InlineData("r[1:2]-n[a:b]", "r1-na r1-nb r2-na r2-nb")]
    [InlineData("plain", "plain")]
    public void Expands_host_ranges(string pattern, string expected) =>
        Assert.Equal(expected.Split(' '), HostRanges.Expand(pattern));

    [Theory]
    [InlineData("web[05:01]", "ends before it starts")]
    [InlineData("web[1:9999999]", "more than 100000 hosts")]
    [InlineData("web[a:5]", "two numbers or two letters")]
    [InlineData("web[1:5:0]", "positive number")]
    public void Refuses_a_malformed_range(string pattern, string problem) =>
        Assert.Contains(problem, Assert.Throws<FormatException>(() => HostRanges.Expand(pattern)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("bad-port.ini", "host web01: ansible_port '22x' is not a port (1–65535)")]
    [InlineData("backwards-range.ini", "line 2: 'web[05:01]': the range ends before it starts")]
    [InlineData("cycle.ini", "is its own descendant (a cycle of children)")]
    [InlineData("unclosed-quote.ini", "line 2: an unclosed double quote")]
    [InlineData("hosts-list.yml", "line 3: group all: hosts is not a mapping")]
    [InlineData("unknown-key.yml", "line 2: group all: 'hostz' is not hosts, vars or children")]
    [InlineData("option-address.ini", "host web01: ansible_host '-oProxyCommand=x' is not a host or user name")]
    [InlineData("bad-section.ini", "line 1: section [web:varz]: after ':' comes vars or children")]
    [InlineData("not-yaml.yml", "not valid YAML")]
    public void Refuses_a_malformed_inventory_with_one_line_naming_the_problem(string file, string problem)
    {
        var path = Fixtures.PathOf($"inventories/malformed/{file}");

        var error = Assert.Throws<InvalidInventoryException>(() => Inventory.Load(path));

        Assert.StartsWith($"inventory {path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Refuses_a_missing_file_and_a_fifo_without_hanging()
    {
        Assert.Contains("no such file", Assert.Throws<InvalidInventoryException>(() => Inventory.Load("/nonexistent/hosts.ini")).Message, StringComparison.Ordinal);
        var fifo = Path.Join(Path.GetTempPath(), $"infradiff-inventory-{Guid.NewGuid():N}");
        Fixtures.RunTool("mkfifo", fifo);
        try
        {
            Assert.Contains("not a regular file", Assert.Throws<InvalidInventoryException>(() => Inventory.Load(fifo)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    /// <summary>Ansible's own --list-hosts is the oracle for what a pattern selects.</summary>
    [Theory]
    [InlineData("all")]
    [InlineData("webservers:dbservers")]
    [InlineData("webservers,dbservers")]
    [InlineData("all:!dbservers")]
    [InlineData("southeast:&raleigh")]
    [InlineData("!southeast")]
    [InlineData("www*")]
    [InlineData("*.example.com:!www0[12]*")]
    [InlineData("~db-[ab]")]
    [InlineData("atlanta:raleigh:!host2")]
    [InlineData("host1:mail.example.com")]
    public void Selects_the_hosts_ansible_selects(string pattern)
    {
        var path = Fixtures.PathOf("inventories/datacenters.ini");
        var expected = Fixtures.RunTool("ansible", "-i", path, pattern, "--list-hosts")
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("hosts (", StringComparison.Ordinal));

        var selected = Inventory.Load(path).Select(pattern).Select(h => h.Name);

        Assert.Equal(expected.Order(StringComparer.Ordinal), selected.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("webserver", "the host pattern: 'webserver' matches no group or host")]
    [InlineData("webservers:&dbservers", "the host pattern: 'webservers:&dbservers' selects no host")]
    [InlineData("~web[", "is not a regular expression")]
    public void Refuses_a_pattern_that_selects_nothing(string pattern, string problem)
    {
        var inventory = Inventory.Load(Fixtures.PathOf("inventories/datacenters.ini"));

        Assert.Contains(problem, Assert.Throws<InvalidInventoryException>(() => inventory.Select(pattern)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("~(?=web)", "needs backtracking (a backreference, lookaround or atomic group)")]
    [InlineData("web[", "is not a glob")]
    public void Refuses_a_pattern_it_cannot_match_in_linear_time_or_at_all(string pattern, string problem)
    {
        var inventory = Inventory.Load(Fixtures.PathOf("inventories/datacenters.ini"));

        var error = Assert.Throws<InvalidInventoryException>(() => inventory.Select(pattern));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_catastrophic_regex_is_matched_in_linear_time()
    {
        // With backtracking, (a+)+$ against 40 a's and a '-' tries 2^40 ways; the pattern must simply not match.
        var path = Path.Join(Path.GetTempPath(), $"infradiff-inventory-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, $"[web]\n{new string('a', 40)}-\n");
        try
        {
            var error = Assert.Throws<InvalidInventoryException>(() => Inventory.Load(path).Select("~(a+)+$"));

            Assert.Contains("'~(a+)+$' matches no group or host", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Inventories a generator or an intruder could write: each is refused in one line, in bounded memory.</summary>
    [Theory]
    [InlineData("deep.yml", "line 1: collections nest more than 64 deep")]
    [InlineData("aliases.yml", "more than 1000000 nodes once its aliases are followed")]
    [InlineData("ranges.ini", "line 3: 'db[1:99999]': the inventory holds more than 100000 hosts")]
    [InlineData("nested.ini", "children nest more than 64 deep")]
    [InlineData("option-name.ini", "line 2: '-oProxyCommand=x' is not a host name")]
    public void Refuses_a_hostile_inventory_in_one_line_and_bounded_memory(string file, string problem)
    {
        var path = Path.Join(Directory.CreateTempSubdirectory("infradiff-inventory-").FullName, file);
        File.WriteAllText(path, file switch
        {
            "deep.yml" => new string('[', 100_000),
            "aliases.yml" => "all:\n  vars:\n    a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
                + string.Concat(Enumerable.Range(1, 12).Select(i => $"    a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n")),
            "ranges.ini" => "[web]\nweb[1:99999]\ndb[1:99999]\napp[1:99999]\n",
            "nested.ini" => "[g0]\nh0\n" + string.Concat(Enumerable.Range(1, 200).Select(i => $"[g{i}:children]\ng{i - 1}\n")),
            _ => "[web]\n-oProxyCommand=x\n",
        });
        try
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();

            var error = Assert.Throws<InvalidInventoryException>(() => Inventory.Load(path));

            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 200L << 20);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Loads_a_hundred_thousand_hosts_from_one_range()
    {
        var path = Path.Join(Path.GetTempPath(), $"infradiff-inventory-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, "[web]\nweb[1:100000]\n[web:vars]\nansible_user=deploy\n");
        try
        {
            var inventory = Inventory.Load(path);

            Assert.Equal(100_000, inventory.Hosts.Count);
            Assert.Equal("web100000", inventory.Hosts[^1].Name);
            Assert.Equal(100_000, inventory.Select("web").Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>ansible_become as a boolean: "yes", "true" and true are the same answer.</summary>
    private static string Boolean(string name, string value) => name == "ansible_become" ? InventoryHost.IsTrue(value).ToString() : value;

    /// <summary>A group's hosts in ansible-inventory's output: its own, then its children's, to any depth.</summary>
    private static IEnumerable<string> AnsibleMembers(JsonElement root, string group)
    {
        if (!root.TryGetProperty(group, out var entry))
        {
            return [];
        }

        var hosts = entry.TryGetProperty("hosts", out var own) ? own.EnumerateArray().Select(h => h.GetString()!).ToList() : [];
        if (entry.TryGetProperty("children", out var children))
        {
            hosts.AddRange(children.EnumerateArray().SelectMany(c => AnsibleMembers(root, c.GetString()!)));
        }

        return hosts.Distinct(StringComparer.Ordinal);
    }
}
