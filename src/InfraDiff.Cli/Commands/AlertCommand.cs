using System.CommandLine;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff alert REPORT.json</c>: send an existing drift report (from <c>diff --format json</c>) to a webhook.</summary>
internal static class AlertCommand
{
    public static Command Create()
    {
        var reportPath = new Argument<string?>("REPORT") { Description = "A drift report written by 'infradiff diff --format json'.", Arity = ArgumentArity.ZeroOrOne };
        var retryDead = new Option<bool>("--retry-dead")
        {
            Description = "Send again the alerts a receiver refused for good, kept in the store's outbox/dead (a watcher on the store must be stopped first).",
        };
        var settings = new WatchSettings();
        var command = new Command(
            "alert",
            Examples.With(
                "Send a drift report to a webhook (with retries; WEBHOOK_SECRET signs it), or with --retry-dead the store's dead alerts. Exit codes: 0 sent, 2 error or not all sent.",
                "infradiff alert drift.json --webhook https://hooks.example/T0/B0/x", "infradiff alert --retry-dead --dir /var/lib/infradiff"))
        {
            reportPath,
            retryDead,
            settings.Webhook,
            settings.WebhookFormat,
            settings.Dir,
            settings.EmailTo,
            settings.Smtp,
            settings.EmailFrom,
        };

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            if (parseResult.GetValue(retryDead))
            {
                return await RetryDeadAsync(parseResult, settings, loggers, cancellationToken);
            }

            var path = parseResult.GetValue(reportPath) ?? throw new InfraDiffException("give a REPORT file, or --retry-dead to resend the store's dead alerts");
            var report = await DriftReport.ReadAsync(path, cancellationToken);
            if (!report.HasDrift)
            {
                // An alert says something changed; a report without changes is not one.
                Console.Error.WriteLine($"infradiff: {path} has no changes; nothing sent");
                return ExitCodes.Ok;
            }

            var resolved = settings.Resolve(parseResult, ConfigFile.Load(parseResult));
            if (resolved.Webhook is null && resolved.Email is null)
            {
                throw new InfraDiffException("nowhere to send: give --webhook URL (or set WEBHOOK_URL), or --email-to with --smtp");
            }

            var key = IdempotencyKeys.From(JsonSerializer.SerializeToUtf8Bytes(report, SnapshotJson.Options));
            foreach (var sink in resolved.Sinks(loggers))
            {
                await sink.SendAsync(new DriftAlert(key, report.After.Host, report.After.TakenAt, report), cancellationToken);
                Console.Error.WriteLine($"infradiff: sent to {sink.Id}");
                (sink as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> RetryDeadAsync(ParseResult parseResult, WatchSettings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var resolved = settings.Resolve(parseResult, ConfigFile.Load(parseResult));
        if (!Directory.Exists(resolved.Dir))
        {
            throw new InfraDiffException($"{resolved.Dir}: no such store (give --dir or set SNAPSHOT_DIR)");
        }

        var url = resolved.Webhook ?? throw new InfraDiffException("no webhook: give --webhook URL or set WEBHOOK_URL");
        using var sink = resolved.WebhookSink(url, loggers);
        var monitor = new DriftMonitor(new Snapshotter([]), new DriftMonitorOptions { Directory = resolved.Dir }, [sink], loggers.CreateLogger<DriftMonitor>());
        using var storeLock = monitor.Store.Lock();
        var requeued = await monitor.Store.RequeueDeadAlertsAsync(cancellationToken);
        var waiting = await monitor.DeliverAsync(cancellationToken);
        var dead = monitor.Store.DeadAlertCount;
        Console.Error.WriteLine($"infradiff: {requeued} dead alerts retried; {waiting} still waiting, {dead} refused again");
        return waiting == 0 && dead == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }
}
