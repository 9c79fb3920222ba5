using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>How a fleet's snapshots are compared: with which rules, against which host, and whether baselines move.</summary>
public sealed record FleetComparisonOptions
{
    /// <summary>Ignore and severity rules, as for one host. Default: the built-in severities.</summary>
    public DriftRules Rules { get; set; } = new();

    /// <summary>A host every other host is compared with, or null for none.</summary>
    public string? AgainstHost { get; set; }

    /// <summary>After comparing, each host's snapshot becomes its baseline (a missing baseline is always created).</summary>
    public bool UpdateBaselines { get; set; }
}
