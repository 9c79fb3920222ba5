using InfraDiff.Monitoring;
using InfraDiff.Validation;

namespace InfraDiff.Fleet;

/// <summary>How a <see cref="FleetMonitor"/> runs.</summary>
public sealed class FleetMonitorOptions : IValidatedOptions
{
    /// <summary>What alerts call the fleet ("fleet hosts.ini"). Default: "fleet".</summary>
    public string Name { get; set; } = "fleet";

    /// <summary>The store: a folder per host, and the fleet's journal and outbox. Default: ./infradiff-fleet.</summary>
    public string StoreDirectory { get; set; } = "infradiff-fleet";

    /// <summary>The key that authenticates the store's journal. Default: <see cref="StoreKey.Load"/>.</summary>
    public StoreKey? StoreKey { get; set; }

    /// <summary>Time between the start of one run and the next (<see cref="FleetMonitor.RunAsync"/>). Default: 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether each run's snapshots become the baselines once its news is queued: a watcher's way, so each report says what changed since the last. Default: true.</summary>
    public bool UpdateBaselines { get; set; } = true;

    /// <summary>How hosts are compared.</summary>
    public FleetComparisonOptions Comparison { get; set; } = new();

    /// <summary>Checks every option.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            OptionChecks.NotEmpty("FleetMonitorOptions.Name", Name),
            OptionChecks.NotEmpty("FleetMonitorOptions.StoreDirectory", StoreDirectory),
            OptionChecks.Positive("FleetMonitorOptions.Interval", Interval),
            Comparison is null ? new InvalidOptionException("FleetMonitorOptions.Comparison", "is required") : null,
        }.OfType<InvalidOptionException>();
}
