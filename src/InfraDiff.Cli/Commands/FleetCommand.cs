using System.CommandLine;
using System.Globalization;
using InfraDiff.Cli.Rendering;
using InfraDiff.Configuration;
using InfraDiff.Fleet;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff fleet snapshot|check|watch</c>: many hosts over OpenSSH, from an Ansible inventory.</summary>
internal static class FleetCommand
{
    public static Command Create() => new(
        "fleet",
        "Snapshot and compare many hosts over the system's OpenSSH client (your ~/.ssh/config, agent and known_hosts apply; host keys are never accepted blindly), "
        + "from an Ansible inventory (INI or YAML) or a plain list of user@host[:port] lines. The tool is copied to each host when missing or different "
        + "(a self-contained build per machine, from --tools; checked by SHA-256 there) into ~/.cache/infradiff/tools, and run there, through sudo -n when the inventory says ansible_become.")
    {
        Snapshot(),
        Check(watching: false),
        Check(watching: true),
    };

    private static Command Snapshot()
    {
        var fleet = new SettingOptions(SettingOptions.Fleet(watching: false));
        var command = new Command(
            "snapshot",
            Examples.With(
                "Snapshot every host into the store (STORE/HOST/latest.json). Exit codes: 0 every host answered, 3 a host failed or came back partial, 2 error.",
                "infradiff fleet snapshot -i hosts.ini", "infradiff fleet snapshot -i inventory.yml --limit 'web:!web07' --forks 10"));
        fleet.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var settings = FleetSettings.Bind(ConfigFile.Load(parseResult, null, fleet).Settings);
            var results = await new FleetRunner(settings.Runner, loggers.CreateLogger<FleetRunner>()).SnapshotAsync(settings.Hosts, cancellationToken);
            foreach (var result in results)
            {
                Console.WriteLine(result.Succeeded
                    ? $"{result.Host.Name}: {(result.Partial ? "partial snapshot" : "snapshot")} {result.SnapshotPath} ({result.Elapsed.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture)}{(result.Uploaded ? ", tool copied" : "")})"
                    : $"{result.Host.Name}: failed: {result.Failure}");
            }

            return results.Any(r => !r.Succeeded || r.Partial) ? ExitCodes.Partial : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary><c>fleet check</c> (one run) and <c>fleet watch</c> (a run every interval, each report telling what changed since the last).</summary>
    private static Command Check(bool watching)
    {
        var fleet = new SettingOptions(SettingOptions.Fleet(watching));
        var alerting = new SettingOptions("watch:webhook", "watch:webhookFormat", "watch:keyFile");
        var rules = new RuleOptions();
        var format = new Option<string>("--format", "-f") { Description = "text, markdown (for a pull request or a chat message) or json (everything, for machines).", DefaultValueFactory = _ => "text" }.AcceptOnlyFromAmong([.. FleetReportWriter.Formats]);
        var update = new Option<bool>("--update-baseline") { Description = "After reporting (and queueing the alert), each host's snapshot becomes its baseline (a missing baseline is always created)." };
        var command = watching
            ? new Command("watch", Examples.With(
                "Run 'fleet check' every --interval; once a run's news is queued in the store's outbox (journalled, retried until delivered), its snapshots become the baselines of the next, so each report says what changed since the last one told. "
                + "A report is printed (and sent to --webhook) when there is news: a host drifted, or an outlier or a failure the last report did not name. Stops on Ctrl-C or SIGTERM.",
                "infradiff fleet watch -i hosts.ini --interval 10m --format markdown"))
            : new Command("check", Examples.With(
                "Snapshot every host, compare each with its own baseline (STORE/HOST/baseline.json, created on the first run) and with its group siblings: "
                + "changes found on several hosts are reported once, and a value one host alone holds in a group of three or more is an outlier. "
                + "Exit codes: 0 no drift, 1 a host drifted or is an outlier, 3 no drift but a host failed or came back partial, 2 error.",
                "infradiff fleet check -i hosts.ini", "infradiff fleet check -i inventory.yml --against-host web01 --format markdown", "infradiff fleet check -i hosts.ini --update-baseline"))
            {
                update,
            };
        command.Options.Add(format);
        fleet.AddTo(command);
        alerting.AddTo(command);
        rules.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var (file, layers) = ConfigFile.Load(parseResult, rules.Config, fleet, alerting);
            var settings = FleetSettings.Bind(layers);
            var webhook = WatchSettings.Bind(layers).CreateWebhookSink(loggers);
            using var sink = webhook;
            var monitor = settings.CreateMonitor(rules.Rules(parseResult, file), updateBaselines: watching || parseResult.GetValue(update), webhook is null ? [] : [webhook], loggers);
            async Task PrintAsync(FleetCycle cycle, CancellationToken token)
            {
                CliLog.FleetCycle(loggers.CreateLogger("InfraDiff.Cli.Fleet"), FleetReportWriter.SummaryLine(cycle.Report));
                if (!watching || cycle.News)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    await FleetReportWriter.WriteAsync(cycle.Report, parseResult.GetRequiredValue(format), stdout, token);
                }
            }

            if (watching)
            {
                await monitor.RunAsync(PrintAsync, cancellationToken);
                return ExitCodes.Ok;
            }

            var cycle = await monitor.RunCycleAsync(cancellationToken);
            await PrintAsync(cycle, cancellationToken);
            return cycle.Undelivered > 0 ? ExitCodes.Error : cycle.Report.HasDrift ? ExitCodes.Drift : cycle.Report.HasFailures ? ExitCodes.Partial : ExitCodes.Ok;
        }, watching ? LogLevel.Information : LogLevel.Warning));
        return command;
    }
}
