using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff alert REPORT.json</c>: send an existing drift report (from <c>diff --format json</c>) to a webhook.</summary>
internal static class AlertCommand
{
    public static Command Create()
    {
        var reportPath = new Argument<string>("REPORT") { Description = "A drift report written by 'infradiff diff --format json'." };
        var settings = new WatchSettings();
        var command = new Command("alert", "Send a drift report to a webhook (with retries; WEBHOOK_SECRET signs it). Exit codes: 0 sent, 2 error.")
        {
            reportPath,
            settings.Webhook,
            settings.WebhookFormat,
        };

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async logger =>
        {
            var path = parseResult.GetRequiredValue(reportPath);
            byte[] bytes;
            DriftReport report;
            try
            {
                bytes = await File.ReadAllBytesAsync(path, cancellationToken);
                report = JsonSerializer.Deserialize<DriftReport>(bytes, SnapshotJson.Options) ?? throw new JsonException("the report is null");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InfraDiffException($"{path}: {FileProblem.Describe(ex)}", ex);
            }
            catch (JsonException ex)
            {
                throw new InfraDiffException($"{path}: not a drift report ({ex.Message.Split(" Path:")[0]})");
            }

            var resolved = settings.Resolve(parseResult, InfraDiffConfiguration.LoadOrDefault(null));
            var url = resolved.Webhook ?? throw new InfraDiffException("no webhook: give --webhook URL or set WEBHOOK_URL");
            using var sink = resolved.WebhookSink(url, logger);
            var key = Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
            await sink.SendAsync(new DriftAlert(key, report.After.Host, report.After.TakenAt, report), cancellationToken);
            Console.Error.WriteLine($"infradiff: sent to {sink.Name}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
