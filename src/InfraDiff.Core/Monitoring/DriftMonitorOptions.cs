using InfraDiff.Diffing;
using InfraDiff.Pipeline;
using InfraDiff.Validation;

namespace InfraDiff.Monitoring;

/// <summary>How a <see cref="DriftMonitor"/> watches.</summary>
public sealed record DriftMonitorOptions : IValidatedOptions
{
    /// <summary>The store directory. Default: ./snapshots.</summary>
    public string Directory { get; set; } = "snapshots";

    /// <summary>Time between the start of one cycle and the next. Default: 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Compare with the previous snapshot (default) or the baseline.</summary>
    public DriftReference Against { get; set; } = DriftReference.Previous;

    /// <summary>Against the baseline, an unchanged drift is alerted again after this long. Default: 24 hours.</summary>
    public TimeSpan RepeatAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Snapshots kept in the store (the baseline and the latest are never deleted). Default: 100.</summary>
    public int Keep { get; set; } = 100;

    /// <summary>Cycle records kept in the store's reports/ folder. Default: 10,000 (five weeks at the default interval).</summary>
    public int KeepReports { get; set; } = 10_000;

    /// <summary>Ignore rules, severity rules, and the minimum severity that alerts.</summary>
    public DriftRules Rules { get; set; } = new();

    /// <summary>What each snapshot collects.</summary>
    public SnapshotOptions Snapshot { get; set; } = new();

    /// <summary>With <see cref="DriftReference.Baseline"/>: make a new baseline even though the store had one that is gone (deleted or quarantined). Journalled and alerted.</summary>
    public bool ResetBaseline { get; set; }

    /// <summary>How a store alert names <see cref="ResetBaseline"/> to whoever sets it (a tool gives its flag). Default: "DriftMonitorOptions.ResetBaseline".</summary>
    public string ResetBaselineName { get; set; } = "DriftMonitorOptions.ResetBaseline";

    /// <summary>The key that authenticates the store's journal. Default: <see cref="StoreKey.Load"/>.</summary>
    public StoreKey? StoreKey { get; set; }

    /// <summary>How often a heartbeat (the journal's head, no change) is queued, the first on the first cycle; <see cref="TimeSpan.Zero"/> for none. Default: daily.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Also see changes as they happen, through fanotify: a targeted cycle examines what changed once writes settle,
    /// and each change found names who made it. Needs root (CAP_SYS_ADMIN and CAP_DAC_READ_SEARCH) on the live host;
    /// without them the monitor says why once and runs full cycles at <see cref="Interval"/>. Default: off.
    /// </summary>
    public bool Realtime { get; set; }

    /// <summary>With <see cref="Realtime"/>: how long writes must have stopped before a targeted cycle examines them (at most 5 s under a steady stream). Default: 0.5 s.</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            OptionChecks.NotEmpty("DriftMonitorOptions.Directory", Directory),
            OptionChecks.Positive("DriftMonitorOptions.Interval", Interval),
            OptionChecks.NotNegative("DriftMonitorOptions.RepeatAfter", RepeatAfter),
            OptionChecks.AtLeast("DriftMonitorOptions.Keep", Keep, 1),
            OptionChecks.AtLeast("DriftMonitorOptions.KeepReports", KeepReports, 1),
            OptionChecks.NotNegative("DriftMonitorOptions.Heartbeat", Heartbeat),
            OptionChecks.Positive("DriftMonitorOptions.Settle", Settle),
            Rules is null ? new InvalidOptionException("DriftMonitorOptions.Rules", "is required") : null,
            Snapshot is null ? new InvalidOptionException("DriftMonitorOptions.Snapshot", "is required") : null,
        }.Concat(Snapshot is IValidatedOptions snapshot ? snapshot.Problems() : []).OfType<InvalidOptionException>();
}
