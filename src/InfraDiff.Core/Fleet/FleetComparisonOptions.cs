using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>How a fleet's snapshots are compared: with which rules and against which host.</summary>
public sealed record FleetComparisonOptions
{
    /// <summary>Ignore and severity rules, as for one host. Default: the built-in severities.</summary>
    public DriftRules Rules { get; set; } = new();

    /// <summary>A host every other host is compared with, or null for none.</summary>
    public string? AgainstHost { get; set; }

    /// <summary>How a message names <see cref="AgainstHost"/> to whoever set it (a tool gives its flag). Default: "FleetComparisonOptions.AgainstHost".</summary>
    public string AgainstHostName { get; set; } = "FleetComparisonOptions.AgainstHost";
}
