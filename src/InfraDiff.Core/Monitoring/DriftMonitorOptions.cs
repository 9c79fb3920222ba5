using InfraDiff.Diffing;
using InfraDiff.Pipeline;

namespace InfraDiff.Monitoring;

/// <summary>How a <see cref="DriftMonitor"/> watches.</summary>
public sealed record DriftMonitorOptions
{
    /// <summary>The store directory. Default: ./snapshots.</summary>
    public string Directory { get; init; } = "snapshots";

    /// <summary>Time between the start of one cycle and the next. Default: 5 minutes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Compare with the previous snapshot (default) or the baseline.</summary>
    public Comparison Against { get; init; } = Comparison.Previous;

    /// <summary>Against the baseline, an unchanged drift is alerted again after this long. Default: 24 hours.</summary>
    public TimeSpan RepeatAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Snapshots kept in the store (the baseline and the latest are never deleted). Default: 100.</summary>
    public int Keep { get; init; } = 100;

    /// <summary>Cycle records kept in the store's reports/ folder. Default: 10,000 (five weeks at the default interval).</summary>
    public int KeepReports { get; init; } = 10_000;

    /// <summary>Ignore rules, severity rules, and the minimum severity that alerts.</summary>
    public DriftRules Rules { get; init; } = new();

    /// <summary>What each snapshot collects.</summary>
    public SnapshotOptions Snapshot { get; init; } = new();

    /// <summary>With <see cref="Comparison.Baseline"/>: make a new baseline even though the store had one that is gone (deleted or quarantined). Journalled and alerted.</summary>
    public bool ResetBaseline { get; init; }

    /// <summary>The key that authenticates the store's journal. Default: <see cref="StoreKey.Load"/>.</summary>
    public StoreKey? StoreKey { get; init; }

    /// <summary>How often a heartbeat (the journal's head, no change) is queued, the first on the first cycle; <see cref="TimeSpan.Zero"/> for none. Default: daily.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromDays(1);
}
