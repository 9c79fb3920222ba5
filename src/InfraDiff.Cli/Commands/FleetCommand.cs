using System.CommandLine;
using System.Globalization;
using InfraDiff.Cli.Rendering;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Fleet;
using InfraDiff.Monitoring;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff fleet snapshot|check|watch|accept</c>: many hosts over OpenSSH, from an Ansible inventory.</summary>
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
        Accept(),
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

    /// <summary><c>fleet accept ID...</c>: changes accepted into the baselines of the hosts that have them, as the last run found them.</summary>
    private static Command Accept()
    {
        var accept = new AcceptOptions("Accept every change there is on every host selected (day one of a fleet).");
        var fleet = new SettingOptions("fleet:inventory", "fleet:limit", "fleet:store");
        var rules = new RuleOptions();
        var command = new Command(
            "accept",
            Examples.With(
                "Accept changes by id into the baseline of each selected host that has them (STORE/HOST/baseline.json), as the last 'fleet check' found them "
                + "(STORE/HOST/latest.json): a change shared by several hosts has one id, so one id accepts it on each of them. Only the accepted values move; "
                + "who, why and when are kept in each baseline's metadata. Exit codes: 0 accepted, 2 an id on no selected host, a missing reason, a fleet run "
                + "holding the store, or another error (nothing accepted).",
                "infradiff fleet accept 3f9a2c7e1b -i hosts.ini --reason \"CHG-1234: bash security update\"",
                "infradiff fleet accept 3f9a2c7e1b -i hosts.ini --limit web01 --reason \"web01 keeps its debug user until Friday\""));
        accept.AddTo(command);
        fleet.AddTo(command);
        rules.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var (ids, reason, by) = accept.Read(parseResult);
            var (file, layers) = ConfigFile.Load(parseResult, rules.Config, fleet);
            var settings = FleetSettings.Bind(layers);
            var store = settings.Runner.StoreDirectory;
            if (!Directory.Exists(store))
            {
                throw new InfraDiffException($"{store}: no fleet store here ('infradiff fleet check' makes one; --store names another)");
            }

            // A fleet check or watch under way holds the store: its baselines may be moving.
            using var held = new SnapshotStore(store).Lock();
            var driftRules = rules.Rules(parseResult, file);
            var now = DateTimeOffset.UtcNow;
            var found = new HashSet<string>(StringComparer.Ordinal);
            var updates = new List<(string Path, Snapshot Baseline, IReadOnlyList<Acceptance> Accepted)>();
            foreach (var host in settings.Hosts)
            {
                var directory = FleetRunner.HostDirectory(store, host.Name);
                var baselinePath = Path.Join(directory, FleetComparer.BaselineFile);
                var latestPath = Path.Join(directory, FleetRunner.LatestFile);
                if (!File.Exists(baselinePath) || !File.Exists(latestPath))
                {
                    continue;
                }

                var baseline = await SnapshotFile.ReadAsync(baselinePath, cancellationToken);
                var (updated, accepted, _) = DriftAcceptance.AcceptIntoBaseline(baseline, await SnapshotFile.ReadAsync(latestPath, cancellationToken), driftRules, ids, reason, by, now);
                found.UnionWith(accepted.Select(a => a.Id));
                if (accepted.Count > 0)
                {
                    updates.Add((baselinePath, updated, accepted));
                }
            }

            if (ids?.FirstOrDefault(i => !found.Contains(i)) is { } missing)
            {
                throw new InfraDiffException($"{missing}: no change with this id on any selected host since its baseline ('infradiff fleet check' lists the ids); nothing accepted");
            }

            if (updates.Count == 0)
            {
                throw new InfraDiffException("nothing to accept: no selected host drifted from its baseline");
            }

            foreach (var (path, baseline, accepted) in updates)
            {
                await SnapshotFile.WriteAsync(path, baseline, cancellationToken);
                foreach (var acceptance in accepted)
                {
                    Console.Out.WriteLine(AcceptOptions.Line(acceptance, path));
                }
            }

            return ExitCodes.Ok;
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
