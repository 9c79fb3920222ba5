using InfraDiff.Host;
using InfraDiff.Validation;

namespace InfraDiff.Fleet;

/// <summary>How a fleet run reaches its hosts, what it runs there, and where the snapshots land.</summary>
public sealed record FleetOptions : IValidatedOptions
{
    /// <summary>The store: a directory per host holding its latest snapshot and its baseline. Default: ./infradiff-fleet.</summary>
    public string StoreDirectory { get; set; } = "infradiff-fleet";

    /// <summary>
    /// Where the controller keeps the self-contained builds of the tool it copies to hosts, one file per runtime
    /// (infradiff-linux-x64, infradiff-linux-arm64, infradiff-linux-musl-x64…). Default: $XDG_CACHE_HOME/infradiff/fleet-tools.
    /// </summary>
    public string ToolDirectory { get; set; } = Path.Join(CacheDirectory.Default(), "fleet-tools");

    /// <summary>How many hosts are worked on at once (Ansible's forks). Default: 5.</summary>
    public int Forks { get; set; } = 5;

    /// <summary>How long ssh may take to connect (its ConnectTimeout). Default: 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one host may take, upload included, before it is a failure. Default: 10 minutes.</summary>
    public TimeSpan HostTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most a host's snapshot may weigh; past it the host fails instead of filling the controller's disk. Default: 1 GiB.</summary>
    public long MaxSnapshotBytes { get; set; } = 1L << 30;

    /// <summary>The OpenSSH client to run. Default: ssh (from PATH), so the operator's ~/.ssh/config, agent and known_hosts apply.</summary>
    public string SshProgram { get; set; } = "ssh";

    /// <summary>Arguments added to each remote <c>infradiff snapshot</c> (e.g. "--exclude", "docker"); each is quoted for the remote shell.</summary>
    public IReadOnlyList<string> SnapshotArguments { get; set; } = [];

    /// <summary>Checks every option; called by everything that takes these options.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            OptionChecks.NotEmpty("FleetOptions.StoreDirectory", StoreDirectory),
            OptionChecks.NotEmpty("FleetOptions.ToolDirectory", ToolDirectory),
            OptionChecks.Between("FleetOptions.Forks", Forks, 1, 1000),
            OptionChecks.Positive("FleetOptions.ConnectTimeout", ConnectTimeout),
            OptionChecks.Positive("FleetOptions.HostTimeout", HostTimeout),
            OptionChecks.AtLeast("FleetOptions.MaxSnapshotBytes", MaxSnapshotBytes, 4096),
            OptionChecks.NotEmpty("FleetOptions.SshProgram", SshProgram),
            SnapshotArguments?.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)) == true ? new InvalidOptionException("FleetOptions.SnapshotArguments", "must not hold a null or a NUL character") : null,
        }.OfType<InvalidOptionException>();
}
