using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Fleet;

/// <summary>
/// A fleet's check, once or in a loop: snapshot every host, compare each with its baseline and its siblings, and when
/// the report has news queue it as one alert in the store's durable outbox (journalled, retried each cycle, set aside
/// when refused for good, as a single host's alerts are) before the snapshots become the next baselines.
/// </summary>
public sealed class FleetMonitor
{
    private readonly FleetRunner runner;
    private readonly IReadOnlyList<InventoryHost> hosts;
    private readonly FleetMonitorOptions options;
    private readonly IReadOnlyList<IAlertSink> sinks;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private FleetReport? told;

    /// <summary>A monitor of <paramref name="hosts"/>; nothing runs until <see cref="RunCycleAsync"/> or <see cref="RunAsync"/>.</summary>
    public FleetMonitor(FleetRunner runner, IReadOnlyList<InventoryHost> hosts, FleetMonitorOptions options, IEnumerable<IAlertSink> sinks, ILogger<FleetMonitor>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinks);
        options.Validate();
        this.runner = runner;
        this.hosts = hosts;
        this.options = options;
        this.sinks = [.. sinks];
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        Store = new SnapshotStore(options.StoreDirectory, options.StoreKey);
    }

    /// <summary>The store whose journal and outbox the fleet's alerts go through (the hosts' snapshots are in its folders).</summary>
    public SnapshotStore Store { get; }

    /// <summary>One run: every host snapshot and compared; news queued and delivered; the baselines moved on when <see cref="FleetMonitorOptions.UpdateBaselines"/>.</summary>
    public async Task<FleetCycle> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        using var storeLock = Store.Lock();
        return await RunCycleCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs cycles every <see cref="FleetMonitorOptions.Interval"/> until cancelled, telling <paramref name="cycled"/> of each; a failed one is logged and the next one runs.</summary>
    public async Task RunAsync(Func<FleetCycle, CancellationToken, Task>? cycled = null, CancellationToken cancellationToken = default)
    {
        using var storeLock = Store.Lock();
        await CycleLoop.RunAsync(
            options.Interval,
            clock,
            async token =>
            {
                var cycle = await RunCycleCoreAsync(token).ConfigureAwait(false);
                if (cycled is not null)
                {
                    await cycled(cycle, token).ConfigureAwait(false);
                }
            },
            // The baselines stay where they were: the next run reports these changes again, so none is lost.
            ex => InfraDiffLog.CycleFailed(logger, ex.Message, options.Interval, ex),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<FleetCycle> RunCycleCoreAsync(CancellationToken cancellationToken)
    {
        // The hosts' folders are the fleet's own: the store's audit leaves them alone.
        Store.Audit((_, type) => type == Host.LinuxFile.TypeDirectory);
        var results = await runner.SnapshotAsync(hosts, cancellationToken).ConfigureAwait(false);
        var report = await FleetComparer.CompareAsync(results, options.Comparison, cancellationToken).ConfigureAwait(false);
        var news = report.HasNewsSince(told);
        if (news && sinks.Count > 0)
        {
            // Queued before the baselines move: a crash in between reports the same news again, never loses it.
            var now = clock.GetUtcNow();
            var drift = report.ToDriftReport(options.Name, now);
            await Store.Outbox.EnqueueAsync(new DriftAlert(IdempotencyKeys.From($"{options.Name}|{now:O}"), options.Name, now, drift) { Journal = new(Store.Journal.Sequence, Store.Journal.Head) }, CancellationToken.None).ConfigureAwait(false);
        }

        if (options.UpdateBaselines)
        {
            await FleetComparer.UpdateBaselinesAsync(results, report, CancellationToken.None).ConfigureAwait(false);
            told = report;
        }

        var waiting = await AlertDelivery.DeliverAsync(Store.Outbox, sinks, logger, cancellationToken).ConfigureAwait(false);
        return new FleetCycle(results, report, news, waiting);
    }
}
