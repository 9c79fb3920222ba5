using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff alert REPORT.json</c>: send an existing drift report (from <c>diff --format json</c>), or a store's dead alerts, again.</summary>
internal static class AlertCommand
{
    public static Command Create()
    {
        var reportPath = new Argument<string?>("REPORT") { Description = "A drift report written by 'infradiff diff --format json'.", Arity = ArgumentArity.ZeroOrOne };
        var retryDead = new Option<bool>("--retry-dead") { Description = "Send again the alerts a receiver refused for good, kept in the store's outbox/dead (a watcher on the store must be stopped first)." };
        var watch = new SettingOptions("watch:webhook", "watch:webhookFormat", "watch:dir", "watch:emailTo", "watch:smtp", "watch:emailFrom", "watch:keyFile");
        var command = new Command(
            "alert",
            Examples.With(
                "Send a drift report to a webhook (with retries; WEBHOOK_SECRET signs it), or with --retry-dead the store's dead alerts. Exit codes: 0 sent, 2 error or not all sent.",
                "infradiff alert drift.json --webhook https://hooks.example/T0/B0/x", "infradiff alert --retry-dead --dir /var/lib/infradiff"))
        {
            reportPath,
            retryDead,
        };
        watch.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var settings = WatchSettings.Bind(ConfigFile.Load(parseResult, null, watch).Settings);
            if (parseResult.GetValue(retryDead))
            {
                CommonOptions.RequireStore(settings.Directory);

                using var webhook = settings.CreateWebhookSink(loggers) ?? throw new InfraDiffException("no webhook: give --webhook URL or set WEBHOOK_URL");
                var store = new SnapshotStore(settings.Directory, StoreKey.Load(settings.KeyFile));
                var (requeued, waiting, dead) = await store.RetryDeadAlertsAsync([webhook], loggers.CreateLogger<SnapshotStore>(), cancellationToken);
                Console.Error.WriteLine($"infradiff: {requeued} dead alerts retried; {waiting} still waiting, {dead} refused again");
                return waiting == 0 && dead == 0 ? ExitCodes.Ok : ExitCodes.Error;
            }

            var path = parseResult.GetValue(reportPath) ?? throw new InfraDiffException("give a REPORT file, or --retry-dead to resend the store's dead alerts");
            var report = await DriftReport.ReadAsync(path, cancellationToken);
            if (!report.HasDrift)
            {
                // An alert says something changed; a report without changes is not one.
                Console.Error.WriteLine($"infradiff: {path} has no changes; nothing sent");
                return ExitCodes.Ok;
            }

            if (settings.Webhook is null && settings.Email is null)
            {
                throw new InfraDiffException("nowhere to send: give --webhook URL (or set WEBHOOK_URL), or --email-to with --smtp");
            }

            foreach (var sink in settings.CreateSinks(loggers))
            {
                await sink.SendAsync(DriftAlert.Of(report), cancellationToken);
                Console.Error.WriteLine($"infradiff: sent to {sink.Id}");
                (sink as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
