using System.Diagnostics.Metrics;

namespace InfraDiff;

/// <summary>
/// What infradiff measures, through the meter named <see cref="MeterName"/>: an OpenTelemetry SDK collects it with
/// <c>AddMeter("InfraDiff")</c>, <c>dotnet-counters</c> shows it, and <c>watch --metrics-file</c> writes it for
/// Prometheus' node_exporter.
/// </summary>
public static class InfraDiffMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "InfraDiff";

    private static readonly Meter Meter = new(MeterName, Tool.Version);

    internal static readonly Counter<long> Cycles = Meter.CreateCounter<long>("infradiff.cycles", null, "Watch cycles run, by outcome (ok, failed).");

    internal static readonly Gauge<double> CycleDuration = Meter.CreateGauge<double>("infradiff.cycle.duration", "s", "How long the last watch cycle took.");

    internal static readonly Histogram<double> CollectorDuration = Meter.CreateHistogram<double>("infradiff.collector.duration", "s", "How long each collector ran, by collector and status (ok, unavailable, failed, timeout).");

    internal static readonly Counter<long> Changes = Meter.CreateCounter<long>("infradiff.changes", null, "Changes found, by severity and category.");

    internal static readonly Gauge<long> LastChanges = Meter.CreateGauge<long>("infradiff.cycle.changes", null, "Changes the last watch cycle found, by severity.");

    internal static readonly Counter<long> AlertsSent = Meter.CreateCounter<long>("infradiff.alerts.sent", null, "Alerts delivered, by sink.");

    internal static readonly Counter<long> AlertsFailed = Meter.CreateCounter<long>("infradiff.alerts.failed", null, "Alert deliveries that failed (retried later) or were refused (set aside), by sink and outcome.");

    internal static readonly Gauge<long> AlertsPending = Meter.CreateGauge<long>("infradiff.alerts.pending", null, "Alerts waiting in the outbox after the last cycle.");

    internal static readonly Gauge<long> AlertsDead = Meter.CreateGauge<long>("infradiff.alerts.dead", null, "Alerts a receiver refused for good, set aside in outbox/dead.");

    internal static readonly Gauge<double> LastSuccess = Meter.CreateGauge<double>("infradiff.cycle.last_success", "s", "When the last watch cycle finished without error, in seconds since 1970-01-01 UTC.");

    internal static readonly Counter<long> RealtimeEvents = Meter.CreateCounter<long>("infradiff.realtime.events", null, "Events fanotify reported to a real-time watcher (before those outside what the sections read are dropped).");

    internal static readonly Counter<long> RealtimeOverflows = Meter.CreateCounter<long>("infradiff.realtime.overflows", null, "Times a real-time watcher lost events (the kernel's queue overflowed, a path could not be found) and ran a full cycle.");

    internal static readonly Counter<long> TargetedCycles = Meter.CreateCounter<long>("infradiff.cycles.targeted", null, "Watch cycles that examined only the paths real-time watching saw change.");
}
