using System.Globalization;

namespace InfraDiff.Fleet;

/// <summary>One host of an inventory, with the variables Ansible's precedence gives it (all, then parent groups, then child groups, then the host's own).</summary>
/// <param name="Name">The inventory name: the key of its store directory and the name reports use.</param>
/// <param name="Groups">Every group it belongs to, directly or through children, "all" included.</param>
/// <param name="Variables">The connection variables infradiff reads (ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file, ansible_become…, infradiff_root); any other variable, a password among them, is never kept.</param>
public sealed record InventoryHost(string Name, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The variables kept from an inventory: what reaching a host and running the tool there needs, nothing else.</summary>
    internal static readonly IReadOnlySet<string> KnownVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port", "ansible_user", "ansible_ssh_user",
        "ansible_ssh_private_key_file", "ansible_private_key_file", "ansible_become", "ansible_become_user", "ansible_become_method",
        "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_connection", "infradiff_root",
    };

    /// <summary>The address ssh connects to: ansible_host, else the name.</summary>
    public string Address => Variable("ansible_host") ?? Variable("ansible_ssh_host") ?? Name;

    /// <summary>The SSH port (ansible_port), or null for ssh's own default (its config, then 22).</summary>
    public int? Port => (Variable("ansible_port") ?? Variable("ansible_ssh_port")) is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : null;

    /// <summary>The remote user (ansible_user), or null for ssh's own default.</summary>
    public string? User => Variable("ansible_user") ?? Variable("ansible_ssh_user");

    /// <summary>The private key (ansible_ssh_private_key_file), or null for the agent's and ssh's defaults.</summary>
    public string? IdentityFile => Variable("ansible_ssh_private_key_file") ?? Variable("ansible_private_key_file");

    /// <summary>Whether the tool runs through sudo (ansible_become).</summary>
    public bool Become => Variable("ansible_become") is { } become && IsTrue(become);

    /// <summary>The user sudo runs the tool as (ansible_become_user), or null for root.</summary>
    public string? BecomeUser => Variable("ansible_become_user");

    /// <summary>How infradiff reaches the host: "ssh" (the default) or "local" (ansible_connection).</summary>
    public string Connection => Variable("ansible_connection") ?? "ssh";

    /// <summary>The directory the snapshot is taken of on the host (infradiff_root, given to --root), or null for the host itself.</summary>
    public string? Root => Variable("infradiff_root");

    private string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Ansible's truthy spellings of a boolean variable.</summary>
    internal static bool IsTrue(string value) => value.ToLowerInvariant() is "true" or "yes" or "y" or "on" or "1";

    /// <summary>Ansible's falsy spellings of a boolean variable.</summary>
    internal static bool IsFalse(string value) => value.ToLowerInvariant() is "false" or "no" or "n" or "off" or "0";
}
