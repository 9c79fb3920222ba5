using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using InfraDiff.Sections.Files;

namespace InfraDiff.Cli.Commands;

/// <summary>
/// The flags that set a setting of Core's layered configuration (<see cref="SettingsLayers"/>), each declared once here
/// with the key it sets: Core reads, checks and names them ("--interval: …"), so the tool keeps no map of its own.
/// A command takes the ones it needs; each command gets options of its own (an option belongs to one command).
/// </summary>
internal sealed class SettingOptions
{
    private enum Kind
    {
        Text,
        List,
        Flag,
    }

    private sealed record Definition(string Key, string Name, Kind Kind, string Description, string? HelpName = null, string[]? Choices = null, string? Alias = null);

    // Every setting flag: the key it sets, its name, and what help says ("[env …]" is added from Core's names).
    private static readonly Definition[] Definitions =
    [
        new("watch:interval", "--interval", Kind.Text, "Time between cycles: 300 (seconds), 30s, 5m, 1h [default 5m].", "DURATION"),
        new("watch:dir", "--dir", Kind.Text, "The snapshot store [default ./snapshots].", "DIR"),
        new("watch:webhook", "--webhook", Kind.Text, "POST alerts here; without one, alerts go to stdout as JSON lines. WEBHOOK_SECRET signs them.", "URL"),
        new("watch:webhookFormat", "--webhook-format", Kind.Text, "The body posted (slack also suits Mattermost and Rocket.Chat) [default generic].", null, [.. ReportFormats.WebhookNames]),
        new("watch:against", "--against", Kind.Text, "previous: alert once per change; baseline: alert while drift persists [default previous].", null, ["previous", "baseline"]),
        new("watch:repeatAfter", "--repeat-after", Kind.Text, "With --against baseline, repeat an unchanged drift's alert after this long [default 24h].", "DURATION"),
        new("watch:keep", "--keep", Kind.Text, "Snapshots kept (a cycle that changed nothing stores none); the baseline and the latest are never deleted [default 100].", "N"),
        new("watch:keepReports", "--keep-reports", Kind.Text, "Cycle records kept in the store's reports/ folder, each with its drift report when it alerted ('infradiff history' lists them) [default 10000].", "N"),
        new("watch:minSeverity", "--min-severity", Kind.Text, "Alert only on changes at or above this severity [default low].", null, ConfigFile.SeverityNames),
        new("watch:heartbeat", "--heartbeat", Kind.Text, "How often to send a heartbeat (the store journal's head, no change) to a generic webhook or stdout, so a receiver notices a watcher that stopped: 1h, 24h, …, or off [default 24h].", "DURATION"),
        new("watch:emailTo", "--email-to", Kind.List, "Also email alerts to ADDRESS (repeatable, or comma-separated), through --smtp.", "ADDRESS"),
        new("watch:smtp", "--smtp", Kind.Text, "The SMTP server for --email-to: HOST or HOST:PORT [default port 25]; STARTTLS when offered.", "HOST[:PORT]"),
        new("watch:emailFrom", "--email-from", Kind.Text, "The sender of email alerts [default infradiff@HOSTNAME].", "ADDRESS"),
        new("watch:metricsFile", "--metrics-file", Kind.Text, "After each cycle, write the InfraDiff meter (cycles, durations per collector, changes by severity and category, alerts sent, failed and waiting, last success) to FILE in Prometheus' text format, atomically, for node_exporter's textfile collector.", "FILE"),
        new("watch:syslog", "--syslog", Kind.Text, "Also send each alert to syslog as Elastic Common Schema records (one RFC 5424 message per change, then one for the report): unix:///dev/log, udp://HOST:514, tcp://HOST:514, or tls://HOST:6514 (octet-counted framing on the stream ones).", "URL"),
        new("watch:syslogCa", "--syslog-ca", Kind.Text, "With --syslog tls://…: the PEM file of the certificate authority the server's certificate must chain to [default: the system's].", "FILE"),
        new("watch:alertsFile", "--alerts-file", Kind.Text, "Also append each alert to FILE (0600; rotated at 64 MiB to FILE.1 … FILE.5), in --alerts-format, for a log shipper.", "FILE"),
        new("watch:alertsFormat", "--alerts-format", Kind.Text, "How --alerts-file, and stdout when no webhook, email, syslog or file is set, hold alerts: generic (one JSON object an alert) or ecs (Elastic Common Schema records, one a line) [default generic].", null, [.. InfraDiff.Alerting.FileAlertSink.Formats]),
        new("watch:listen", "--listen", Kind.Text, "Serve GET /metrics (the same metrics as --metrics-file, in Prometheus' text format, for a scrape) and GET /healthz (200 while the last successful cycle ended at most 3 intervals ago, else 503, with one line saying which) over HTTP on ADDR:PORT: 127.0.0.1:9464 for this host only, :9464 for every address. No authentication: keep it on loopback or a trusted network.", "ADDR:PORT"),
        new("watch:keyFile", "--key-file", Kind.Text, $"The key that authenticates the store's journal, kept outside the store; created (0600) on first use [env INFRADIFF_STORE_KEY (64 hex digits) or INFRADIFF_STORE_KEY_FD take precedence; default: {StoreKey.DefaultPath}].", "FILE"),
        new("watch:realtime", "--realtime", Kind.Flag, "Also see changes as they happen (fanotify on the filesystems the sections read): once writes settle, a targeted cycle examines only what changed and each change names who made it (process, user, login user through sudo and su, package manager). Needs root (CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH) on the live host; without them one line says why and full cycles go on at --interval, which stay the safety net."),
        new("watch:settle", "--settle", Kind.Text, "With --realtime: how long writes must have stopped before they are examined (at most 5s under a steady stream; while a package manager runs, until it ends) [default 0.5s].", "DURATION"),
        new("watch:resetBaseline", "--reset-baseline", Kind.Flag, "With --against baseline: make a new baseline from this host although the store had one that is gone (deleted or quarantined); journalled and alerted."),

        new("snapshot:only", "--only", Kind.List, "Collect only these sections (comma-separated or repeated), e.g. --only users,packages.", "SECTIONS"),
        new("snapshot:exclude", "--exclude", Kind.List, "Skip these sections (comma-separated or repeated).", "SECTIONS"),
        new("snapshot:root", "--root", Kind.Text, "Read the host's files under DIR instead of / (a mounted image, a container's rootfs, the host's root mounted into infradiff's container). Runtime state is then not collected [default /].", "DIR"),
        new("snapshot:image", "--image", Kind.Text, "Snapshot a container image instead of this host: NAME[:TAG] or ID on the Docker engine (--docker-host). Its file system is exported through the Engine API (a container created, never started, then removed), unpacked under TMPDIR and read as with --root; the docker section is left out. Needs root, to keep the files' owners.", "IMAGE"),
        new("snapshot:hostKernel", "--host-kernel", Kind.Flag, "With --root holding the host's own root inside a container run with --pid host --network host: read the running kernel, mounts, interfaces, sockets and firewall as the host's (checked: PID 1 must be the host's init, in this network namespace) [env INFRADIFF_HOST_KERNEL=1]."),
        new("snapshot:imageTimeout", "--image-timeout", Kind.Text, "How long exporting --image may take, from creating its container to its last file unpacked: 10m, 1h, … [default: 10m]. Past it the snapshot fails; the container is removed however the export ends.", "DURATION"),
        new("snapshot:collectorTimeout", "--collector-timeout", Kind.Text, "How long one collector may run before it is recorded as timed out: 30s, 5m, … [default: 30s].", "DURATION"),
        new("snapshot:filesTimeout", "--files-timeout", Kind.Text, "How long the files collector may run: 10m, 1h, … [default: no limit; a first scan hashes everything].", "DURATION"),
        new("snapshot:files", "--files", Kind.List, $"Scan PATH for the files section (repeatable; an absolute path on the host, read under --root); replaces the default roots {string.Join(", ", FilesCollectorOptions.DefaultRoots)}.", "PATH"),
        new("snapshot:filesExclude", "--files-exclude", Kind.List, "Leave out paths matching GLOB (repeatable; '*' within a name, '**' across directories), besides the default excludes.", "GLOB"),
        new("snapshot:filesCrossMounts", "--files-cross-mounts", Kind.Flag, "Descend into filesystems mounted below a files root (by default each root stays on its own filesystem)."),
        new("snapshot:cacheDir", "--cache-dir", Kind.Text, "Where file hashes are cached between runs, and the key that fingerprints Docker environment values is kept [default: $XDG_CACHE_HOME/infradiff, else ~/.cache/infradiff].", "DIR"),
        new("snapshot:noCache", "--no-cache", Kind.Flag, "Hash every file, neither reading nor writing the hash cache."),
        new("snapshot:noVerify", "--no-verify", Kind.Flag, "Do not record which package owns each file nor check it against the digest the package shipped (dpkg, rpm, apk)."),
        new("snapshot:maxReadRate", "--max-read-rate", Kind.Text, "Read files to hash at most this fast, all threads together (50M, 1G: bytes a second), so a full scan leaves the disk to the host [default: no limit].", "SIZE"),
        new("snapshot:threads", "--threads", Kind.Text, "Hash files on this many threads [default: one a core].", "N"),
        new("snapshot:nice", "--nice", Kind.Text, "Run at this lower CPU priority, 0 to 19 [default: as started].", "N"),
        new("snapshot:ioClass", "--io-class", Kind.Text, "Read the disk in this I/O scheduling class: idle (only when no one else wants it) or best-effort (its lowest level) [default: as started].", null, [.. InfraDiff.Host.ResourceCaps.IoClasses]),
        new("snapshot:maxMemory", "--max-memory", Kind.Text, "Keep the managed heap under this (512M, 1G); the GC collects harder as it nears it [default: the runtime's].", "SIZE"),
        new("snapshot:dockerHost", "--docker-host", Kind.Text, "The Docker engine to ask (unix:///var/run/docker.sock, tcp://host:2376) [default: DOCKER_HOST, the current docker context, else the default socket].", "URL"),

        new("fleet:inventory", "--inventory", Kind.Text, "The hosts: an Ansible inventory (INI or YAML; groups, children, ranges like web[01:20], ansible_host/_port/_user/_ssh_private_key_file/_become, ansible_ssh_common_args) or one user@host[:port] a line. Host variable infradiff_root snapshots that directory (--root) instead of the host.", "FILE", Alias: "-i"),
        new("fleet:limit", "--limit", Kind.Text, "Only these hosts, as Ansible reads a pattern: groups, hosts, globs (web*), ~regex, joined by ':' or ','; '&group' intersects, '!group' excludes. Quote it from the shell.", "PATTERN", Alias: "-l"),
        new("fleet:forks", "--forks", Kind.Text, "How many hosts are worked on at once [default 5].", "N"),
        new("fleet:store", "--store", Kind.Text, "The store: a directory per host with latest.json and baseline.json (0700, files 0600), and the fleet's journal and outbox [default: $SNAPSHOT_DIR/fleet when SNAPSHOT_DIR is set, else ./infradiff-fleet].", "DIR"),
        new("fleet:tools", "--tools", Kind.Text, "Where the builds copied to hosts are: infradiff-linux-x64, infradiff-linux-arm64… (deploy/fleet/fleet-tools.sh makes them) [default: ~/.cache/infradiff/fleet-tools].", "DIR"),
        new("fleet:hostTimeout", "--host-timeout", Kind.Text, "How long one host may take, copying the tool included, before it is a failure [default 10m].", "DURATION"),
        new("fleet:connectTimeout", "--connect-timeout", Kind.Text, "How long ssh may take to connect [default 10s].", "DURATION"),
        new("fleet:exclude", "--exclude", Kind.List, "Sections left out on every host (comma-separated or repeated), e.g. --exclude docker,files.", "SECTIONS"),
        new("fleet:againstHost", "--against-host", Kind.Text, "Also compare every host with this one, each difference once with the hosts that have it.", "NAME"),
        new("fleet:interval", "--interval", Kind.Text, "Time between runs: 300 (seconds), 30s, 5m, 1h [default 5m].", "DURATION"),
    ];

    private readonly List<(Option Option, Definition Definition)> options = [];

    /// <summary>Options for the settings <paramref name="keys"/>.</summary>
    public SettingOptions(params string[] keys)
    {
        foreach (var key in keys)
        {
            var definition = Definitions.Single(d => d.Key == key);
            var description = definition.Description + (SettingsLayers.EnvironmentNames.TryGetValue(key, out var names) ? $" [env {string.Join(", ", names)}]" : "");
            Option option = definition.Kind switch
            {
                Kind.Flag => new Option<bool>(definition.Name) { Description = description },
                Kind.List => new Option<string[]>(definition.Name) { Description = description, HelpName = definition.HelpName },
                _ => new Option<string>(definition.Name) { Description = description, HelpName = definition.HelpName },
            };
            if (definition.Alias is { } alias)
            {
                option.Aliases.Add(alias);
            }

            if (definition.Choices is { } choices && option is Option<string> text)
            {
                text.AcceptOnlyFromAmong(choices);
            }

            options.Add((option, definition));
        }
    }

    /// <summary>The watch loop's settings.</summary>
    public static string[] Watch { get; } = [.. Definitions.Where(d => d.Key.StartsWith("watch:", StringComparison.Ordinal)).Select(d => d.Key)];

    /// <summary>What a snapshot collects, for a command that takes one snapshot (with --image) or many (without).</summary>
    public static string[] Snapshot(bool withImage) => [.. Definitions.Where(d => d.Key.StartsWith("snapshot:", StringComparison.Ordinal) && (withImage || d.Key is not ("snapshot:image" or "snapshot:imageTimeout"))).Select(d => d.Key)];

    /// <summary>The fleet's hosts and how they are reached (a watch adds its interval).</summary>
    public static string[] Fleet(bool watching) => [.. Definitions.Where(d => d.Key.StartsWith("fleet:", StringComparison.Ordinal) && (watching || d.Key != "fleet:interval")).Select(d => d.Key)];

    public void AddTo(Command command)
    {
        foreach (var (option, _) in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings of <paramref name="groups"/>: each flag, and the value it was given (null when it was not).</summary>
    public static IReadOnlyDictionary<string, (string Flag, string? Value)> Given(ParseResult parseResult, params SettingOptions[] groups)
    {
        var given = new Dictionary<string, (string, string?)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, definition) in groups.SelectMany(g => g.options))
        {
            string? value = parseResult.GetResult(option) is { Implicit: false } result
                ? result.GetValueOrDefault<object>() switch
                {
                    string[] many => string.Join(',', many),
                    bool flag => flag ? "true" : "false",
                    var one => one?.ToString(),
                }
                : null;
            given[definition.Key] = (definition.Name, value);
        }

        return given;
    }
}
