using System.CommandLine;
using System.Globalization;
using InfraDiff.Alerting;
using InfraDiff.Cli.Rendering;
using InfraDiff.Fleet;
using InfraDiff.Reporting;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff fleet snapshot|check|watch</c>: many hosts over OpenSSH, from an Ansible inventory.</summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var command = new Command(
            "fleet",
            "Snapshot and compare many hosts over the system's OpenSSH client (your ~/.ssh/config, agent and known_hosts apply; host keys are never accepted blindly), "
            + "from an Ansible inventory (INI or YAML) or a plain list of user@host[:port] lines. The tool is copied to each host when missing or different "
            + "(a self-contained build per machine, from --tools; checked by SHA-256 there) into ~/.cache/infradiff/tools, and run there, through sudo -n when the inventory says ansible_become.")
        {
            Snapshot(),
            Check(),
            Watch(),
        };
        return command;
    }

    private static Command Snapshot()
    {
        var shared = new FleetArguments();
        var command = new Command(
            "snapshot",
            Examples.With(
                "Snapshot every host into the store (STORE/HOST/latest.json). Exit codes: 0 every host answered, 3 a host failed or came back partial, 2 error.",
                "infradiff fleet snapshot -i hosts.ini", "infradiff fleet snapshot -i inventory.yml --limit 'web:!web07' --forks 10"));
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var results = await shared.RunAsync(parseResult, loggers, cancellationToken);
            foreach (var result in results)
            {
                Console.WriteLine(result.Succeeded
                    ? $"{result.Host.Name}: {(result.Partial ? "partial snapshot" : "snapshot")} {result.SnapshotPath} ({Seconds(result.Elapsed)}{(result.Uploaded ? ", tool copied" : "")})"
                    : $"{result.Host.Name}: failed: {result.Failure}");
            }

            return results.Any(r => !r.Succeeded || r.Partial) ? ExitCodes.Partial : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Check()
    {
        var shared = new FleetArguments();
        var compare = new FleetReportArguments();
        var update = new Option<bool>("--update-baseline")
        {
            Description = "After reporting (and alerting), each host's snapshot becomes its baseline (a missing baseline is always created).",
        };
        var command = new Command(
            "check",
            Examples.With(
                "Snapshot every host, compare each with its own baseline (STORE/HOST/baseline.json, created on the first run) and with its group siblings: "
                + "changes found on several hosts are reported once, and a value one host alone holds in a group of three or more is an outlier. "
                + "Exit codes: 0 no drift, 1 a host drifted or is an outlier, 3 no drift but a host failed or came back partial, 2 error.",
                "infradiff fleet check -i hosts.ini", "infradiff fleet check -i inventory.yml --against-host web01 --format markdown", "infradiff fleet check -i hosts.ini --update-baseline"));
        command.Options.Add(update);
        shared.AddTo(command);
        compare.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var results = await shared.RunAsync(parseResult, loggers, cancellationToken);
            var report = await compare.CompareAsync(parseResult, results, cancellationToken);
            await using (var stdout = Console.OpenStandardOutput())
            {
                await FleetReportWriter.WriteAsync(report, compare.Format(parseResult), stdout, cancellationToken);
            }

            await compare.AlertAsync(parseResult, shared.FleetName(parseResult), report, loggers, cancellationToken);
            if (parseResult.GetValue(update))
            {
                await FleetComparer.UpdateBaselinesAsync(results, report, cancellationToken);
            }

            return report.HasDrift ? ExitCodes.Drift : report.HasFailures ? ExitCodes.Partial : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Watch()
    {
        var shared = new FleetArguments();
        var compare = new FleetReportArguments();
        var interval = new Option<int?>("--interval")
        {
            Description = "Seconds between runs [env INTERVAL; default 300].",
            HelpName = "SECONDS",
        };
        var command = new Command(
            "watch",
            Examples.With(
                "Run 'fleet check' every --interval seconds; once a run's report is delivered its snapshots become the baselines of the next, so each report says what changed since the last one told. "
                + "A report is printed (and sent to --webhook) when there is news: a host drifted, or an outlier or a failure the last report did not name. Stops on Ctrl-C or SIGTERM.",
                "infradiff fleet watch -i hosts.ini --interval 600 --format markdown"))
        {
            interval,
        };
        shared.AddTo(command);
        compare.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var seconds = parseResult.GetValue(interval)
                ?? (int.TryParse(Environment.GetEnvironmentVariable("INTERVAL"), NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) ? fromEnvironment : 300);
            if (seconds < 1)
            {
                throw new InfraDiffException($"--interval must be at least 1 second (was {seconds})");
            }

            var log = loggers.CreateLogger("InfraDiff.Cli.Fleet");
            FleetReport? told = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                var results = await shared.RunAsync(parseResult, loggers, cancellationToken);
                var report = await compare.CompareAsync(parseResult, results, cancellationToken);
                CliLog.FleetCycle(log, FleetReportWriter.SummaryLine(report));
                try
                {
                    if (report.HasNewsSince(told))
                    {
                        await using (var stdout = Console.OpenStandardOutput())
                        {
                            await FleetReportWriter.WriteAsync(report, compare.Format(parseResult), stdout, cancellationToken);
                        }

                        await compare.AlertAsync(parseResult, shared.FleetName(parseResult), report, loggers, cancellationToken);
                    }

                    await FleetComparer.UpdateBaselinesAsync(results, report, cancellationToken);
                    told = report;
                }
                catch (InfraDiffException ex)
                {
                    // The baselines stay where they were: the next run reports these changes again, so none is lost.
                    CliLog.CommandFailed(log, $"{ex.Message}; the baselines are kept, so the next run reports these changes again", null);
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return ExitCodes.Ok;
        }, LogLevel.Information));
        return command;
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture);

    /// <summary>The options every fleet command takes: which hosts, how many at once, where snapshots land.</summary>
    private sealed class FleetArguments
    {
        private readonly Option<string> inventory = new("--inventory", "-i")
        {
            Description = "The hosts: an Ansible inventory (INI or YAML; groups, children, ranges like web[01:20], ansible_host/_port/_user/_ssh_private_key_file/_become, ansible_ssh_common_args) or one user@host[:port] a line. Host variable infradiff_root snapshots that directory (--root) instead of the host.",
            HelpName = "FILE",
            Required = true,
        };

        private readonly Option<string?> limit = new("--limit", "-l")
        {
            Description = "Only these hosts, as Ansible reads a pattern: groups, hosts, globs (web*), ~regex, joined by ':' or ','; '&group' intersects, '!group' excludes. Quote it from the shell.",
            HelpName = "PATTERN",
        };

        private readonly Option<int> forks = new("--forks", "-f")
        {
            Description = "How many hosts are worked on at once.",
            DefaultValueFactory = _ => 5,
            HelpName = "N",
        };

        private readonly Option<string?> store = new("--store")
        {
            Description = "The store: a directory per host with latest.json and baseline.json (0700, files 0600) [default: $SNAPSHOT_DIR/fleet when SNAPSHOT_DIR is set, else ./infradiff-fleet].",
            HelpName = "DIR",
        };

        private readonly Option<string?> tools = new("--tools")
        {
            Description = "Where the builds copied to hosts are: infradiff-linux-x64, infradiff-linux-arm64… (deploy/fleet/fleet-tools.sh makes them) [default: ~/.cache/infradiff/fleet-tools].",
            HelpName = "DIR",
        };

        private readonly Option<int> timeout = new("--host-timeout")
        {
            Description = "Seconds one host may take, copying the tool included, before it is a failure.",
            DefaultValueFactory = _ => 600,
            HelpName = "SECONDS",
        };

        private readonly Option<int> connectTimeout = new("--connect-timeout")
        {
            Description = "Seconds ssh may take to connect.",
            DefaultValueFactory = _ => 10,
            HelpName = "SECONDS",
        };

        private readonly Option<string[]> exclude = new("--exclude")
        {
            Description = "Collectors left out on every host (repeatable), e.g. --exclude docker --exclude files.",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = true,
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { inventory, limit, forks, store, tools, timeout, connectTimeout, exclude })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>What alerts call the fleet: "fleet" and the inventory's file name.</summary>
        public string FleetName(ParseResult parseResult) => $"fleet {Path.GetFileName(parseResult.GetRequiredValue(inventory))}";

        public async Task<IReadOnlyList<FleetHostResult>> RunAsync(ParseResult parseResult, ILoggerFactory loggers, CancellationToken cancellationToken)
        {
            var hosts = Inventory.Load(parseResult.GetRequiredValue(inventory)).Select(parseResult.GetValue(limit));
            var snapshotDirectory = Environment.GetEnvironmentVariable("SNAPSHOT_DIR");
            var options = new FleetOptions
            {
                StoreDirectory = parseResult.GetValue(store) ?? (string.IsNullOrEmpty(snapshotDirectory) ? "infradiff-fleet" : Path.Join(snapshotDirectory, "fleet")),
                Forks = parseResult.GetValue(forks),
                HostTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                ConnectTimeout = TimeSpan.FromSeconds(parseResult.GetValue(connectTimeout)),
                SnapshotArguments = [.. (parseResult.GetValue(exclude) ?? []).SelectMany(name => new[] { "--exclude", name })],
            };
            if (parseResult.GetValue(tools) is { } directory)
            {
                options.ToolDirectory = directory;
            }

            return await new FleetRunner(options, loggers.CreateLogger<FleetRunner>()).SnapshotAsync(hosts, cancellationToken);
        }
    }

    /// <summary>The options of the fleet commands that compare: rules, the reference host, the report's format.</summary>
    private sealed class FleetReportArguments
    {
        private readonly Option<string> format = new Option<string>("--format")
        {
            Description = "text, markdown (for a pull request or a chat message) or json (everything, for machines).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong([.. FleetReportWriter.Formats]);

        private readonly Option<string?> against = new("--against-host")
        {
            Description = "Also compare every host with this one, each difference once with the hosts that have it.",
            HelpName = "NAME",
        };

        private readonly Option<string?> webhook = new("--webhook")
        {
            Description = "Also POST the report here when a host drifted, failed or is an outlier [env WEBHOOK_URL, INFRADIFF_WEBHOOK_URL]; WEBHOOK_SECRET signs it.",
            HelpName = "URL",
        };

        private readonly Option<string?> webhookFormat = new Option<string?>("--webhook-format")
        {
            Description = "generic, slack (also Mattermost, Rocket.Chat), teams or discord [env INFRADIFF_WEBHOOK_FORMAT; default generic].",
        }.AcceptOnlyFromAmong([.. ReportFormats.WebhookNames]);

        private readonly RuleOptions rules = new();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { format, against, webhook, webhookFormat })
            {
                command.Options.Add(option);
            }

            rules.AddTo(command);
        }

        public string Format(ParseResult parseResult) => parseResult.GetRequiredValue(format);

        public Task<FleetReport> CompareAsync(ParseResult parseResult, IReadOnlyList<FleetHostResult> results, CancellationToken cancellationToken) =>
            FleetComparer.CompareAsync(
                results,
                new FleetComparisonOptions
                {
                    Rules = rules.Rules(parseResult),
                    AgainstHost = parseResult.GetValue(against),
                },
                cancellationToken);

        /// <summary>With a webhook, sends the report as one alert when there is news; a delivery that fails after its retries is an error.</summary>
        public async Task AlertAsync(ParseResult parseResult, string fleet, FleetReport report, ILoggerFactory loggers, CancellationToken cancellationToken)
        {
            var url = parseResult.GetValue(webhook) ?? Environment.GetEnvironmentVariable("INFRADIFF_WEBHOOK_URL") ?? Environment.GetEnvironmentVariable("WEBHOOK_URL");
            if (string.IsNullOrEmpty(url) || !report.HasNewsSince(null))
            {
                return;
            }

            var format = parseResult.GetValue(webhookFormat) ?? Environment.GetEnvironmentVariable("INFRADIFF_WEBHOOK_FORMAT") ?? "generic";
            var now = DateTimeOffset.UtcNow;
            using var sink = new WebhookAlertSink(
                new WebhookOptions { Url = WatchSettings.WebhookUrl(url), Format = format, Secret = Environment.GetEnvironmentVariable("WEBHOOK_SECRET") },
                loggers.CreateLogger<WebhookAlertSink>());
            var drift = report.ToDriftReport(fleet, now);
            await sink.SendAsync(new DriftAlert(IdempotencyKeys.From($"{fleet} {now:O}"), fleet, now, drift), cancellationToken);
        }
    }
}
