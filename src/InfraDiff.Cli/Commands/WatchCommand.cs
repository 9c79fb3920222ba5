using System.CommandLine;
using InfraDiff.Cli.Rendering;
using InfraDiff.Monitoring;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff watch</c>: the loop an operator leaves running: snapshot, store, diff, alert; again every interval.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Run one cycle and exit (for cron or a CI step)." };
        var config = ConfigFile.Option();
        var resetBaseline = new Option<bool>("--reset-baseline")
        {
            Description = "With --against baseline: make a new baseline from this host although the store had one that is gone (deleted or quarantined); journalled and alerted.",
        };
        var keyFile = CommonOptions.KeyFile();
        var heartbeat = new Option<string>("--heartbeat")
        {
            Description = "How often to send a heartbeat (the store journal's head, no change) to a generic webhook or stdout, so a receiver notices a watcher that stopped: 1h, 24h, …, or off [env INFRADIFF_HEARTBEAT; default 24h].",
            HelpName = "DURATION",
        };
        var metricsFile = new Option<string?>("--metrics-file")
        {
            Description = "After each cycle, write the InfraDiff meter (cycles, durations per collector, changes by severity and category, alerts sent, failed and waiting, last success) to FILE in Prometheus' text format, atomically, for node_exporter's textfile collector [env INFRADIFF_METRICS_FILE].",
            HelpName = "FILE",
        };
        var settings = new WatchSettings();
        var selection = new SnapshotSelection();
        var command = new Command(
            "watch",
            Examples.With(
                "Snapshot this host every interval, keep the snapshots in a directory, and alert on drift through a webhook. "
            + "Undelivered alerts wait in the directory's outbox and are re-sent, oldest first, on later cycles. "
            + "SIGTERM or Ctrl+C lets the current write finish and exits 0. Precedence: flags > environment > ./.env > infradiff.json > defaults.",
                "infradiff watch --interval 5m --dir /var/lib/infradiff --webhook https://hooks.example/T0/B0/x --webhook-format slack", "infradiff watch --once --against baseline --min-severity high"))
        {
            once,
            config,
            resetBaseline,
            keyFile,
            heartbeat,
            metricsFile,
        };
        settings.AddTo(command);
        selection.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var configuration = ConfigFile.Load(parseResult, config);
            using var metrics = (parseResult.GetValue(metricsFile) ?? Environment.GetEnvironmentVariable("INFRADIFF_METRICS_FILE")) is { Length: > 0 } metricsPath
                ? new PrometheusTextFile(metricsPath)
                : null;
            var resolved = settings.Resolve(parseResult, configuration);
            // The store changes every cycle: scanning it would be drift every cycle.
            var (snapshotter, snapshotOptions) = selection.Create(parseResult, loggers, alsoExclude: Path.GetFullPath(resolved.Dir));
            var sinks = resolved.Sinks(loggers);
            var monitor = new DriftMonitor(
                snapshotter,
                new DriftMonitorOptions
                {
                    Directory = resolved.Dir,
                    Interval = resolved.Interval,
                    Against = resolved.Against,
                    RepeatAfter = resolved.RepeatAfter,
                    Keep = resolved.Keep,
                    KeepReports = resolved.KeepReports,
                    Rules = configuration.ToDriftRules(resolved.MinSeverity),
                    Snapshot = snapshotOptions,
                    ResetBaseline = parseResult.GetValue(resetBaseline),
                    Heartbeat = (parseResult.GetValue(heartbeat) ?? Environment.GetEnvironmentVariable("INFRADIFF_HEARTBEAT")) is { } every
                        ? every == "off" ? TimeSpan.Zero : WatchSettings.Duration("--heartbeat", every)
                        : TimeSpan.FromDays(1),
                    StoreKey = StoreKey.Load(parseResult.GetValue(keyFile)),
                },
                sinks,
                loggers.CreateLogger<DriftMonitor>());
            CliLog.Watching(loggers.CreateLogger("InfraDiff.Cli"), resolved.Interval, monitor.Store.Directory, string.Join("; ", sinks.Select(s => s.Id)));
            if (parseResult.GetValue(once))
            {
                var result = await monitor.RunCycleAsync(cancellationToken);
                return result.Undelivered > 0 ? ExitCodes.Error : ExitCodes.Ok;
            }

            using var systemd = new SystemdService();
            systemd.Ready($"watching {monitor.Store.Directory} every {resolved.Interval}");
            await monitor.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }, LogLevel.Information));
        return command;
    }
}
