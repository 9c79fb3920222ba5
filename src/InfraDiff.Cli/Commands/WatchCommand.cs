using System.CommandLine;
using InfraDiff.Cli.Rendering;
using InfraDiff.Configuration;
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
        var watch = new SettingOptions(SettingOptions.Watch);
        var snapshot = new SettingOptions(SettingOptions.Snapshot(withImage: false));
        var command = new Command(
            "watch",
            Examples.With(
                "Snapshot this host every interval, keep the snapshots in a directory, and alert on drift through a webhook. "
            + "Undelivered alerts wait in the directory's outbox and are re-sent, oldest first, on later cycles. "
            + "SIGTERM or Ctrl+C lets the current write finish and exits 0. Every setting may also come from the environment, ./.env or infradiff.json's \"watch\" section; flags win, then the environment, then ./.env, then the file.",
                "infradiff watch --interval 5m --dir /var/lib/infradiff --webhook https://hooks.example/T0/B0/x --webhook-format slack", "infradiff watch --once --against baseline --min-severity high"))
        {
            once,
            config,
        };
        watch.AddTo(command);
        snapshot.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            // Every setting is read and checked before the store is touched.
            var (file, settings) = ConfigFile.Load(parseResult, config, watch, snapshot);
            var watching = WatchSettings.Bind(settings);
            var selection = SnapshotSettings.Bind(settings);
            using var metrics = watching.MetricsFile is { } metricsPath ? new PrometheusTextFile(metricsPath) : null;
            using var endpoint = watching.Listen is { } listen && !parseResult.GetValue(once) ? new PrometheusEndpoint(listen, watching.Interval) : null;
            var sinks = watching.CreateSinks(loggers);
            // The store changes every cycle: scanning it would be drift every cycle.
            var snapshotter = selection.CreateSnapshotter(loggers, CommonOptions.Progress(parseResult), alsoExclude: Path.GetFullPath(watching.Directory));
            var monitor = new DriftMonitor(
                snapshotter,
                watching.MonitorOptions(file.ToDriftRules(), selection.Options),
                sinks,
                loggers.CreateLogger<DriftMonitor>());
            CliLog.Watching(loggers.CreateLogger("InfraDiff.Cli"), watching.Interval, monitor.Store.Directory, string.Join("; ", sinks.Select(s => s.Id)));
            if (parseResult.GetValue(once))
            {
                var result = await monitor.RunCycleAsync(cancellationToken);
                return result.Undelivered > 0 ? ExitCodes.Error : ExitCodes.Ok;
            }

            using var systemd = new SystemdService();
            systemd.Ready($"watching {monitor.Store.Directory} every {watching.Interval}");
            await monitor.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }, LogLevel.Information));
        return command;
    }
}
