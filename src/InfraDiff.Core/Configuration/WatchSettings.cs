using System.Globalization;
using InfraDiff.Alerting;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Configuration;

/// <summary>
/// The watch loop's settings (the "watch" keys of <see cref="SettingsLayers"/>), each checked with one message naming
/// where it was given: what a <see cref="DriftMonitor"/> and its sinks are built from.
/// </summary>
public sealed class WatchSettings
{
    /// <summary>The section of the settings these come from.</summary>
    public const string Section = "watch";

    /// <summary>The keys of the section, as infradiff.json and the flags name them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["interval", "dir", "webhook", "webhookFormat", "webhookSecret", "against", "repeatAfter", "keep", "keepReports", "minSeverity", "heartbeat", "emailTo", "smtp", "emailFrom", "metricsFile", "keyFile", "resetBaseline", "realtime", "settle"];

    /// <summary>Time between the start of one cycle and the next. Default: 5 minutes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The store. Default: ./snapshots.</summary>
    public string Directory { get; init; } = "snapshots";

    /// <summary>Where alerts are posted; none: stdout, as JSON lines (unless email is set).</summary>
    public Uri? Webhook { get; init; }

    /// <summary>The body a webhook gets (<see cref="ReportFormats.WebhookNames"/>). Default: generic.</summary>
    public string WebhookFormat { get; init; } = "generic";

    /// <summary>Signs each request (HMAC-SHA256) when set.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Compare with the previous snapshot (each change alerts once) or the baseline (alerts while drift persists). Default: previous.</summary>
    public DriftReference Against { get; init; } = DriftReference.Previous;

    /// <summary>Against the baseline, an unchanged drift's alert repeats after this long. Default: 24 hours.</summary>
    public TimeSpan RepeatAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Snapshots kept. Default: 100.</summary>
    public int Keep { get; init; } = 100;

    /// <summary>Cycle records kept. Default: 10,000.</summary>
    public int KeepReports { get; init; } = 10_000;

    /// <summary>Changes below this severity are not alerted. Default: low.</summary>
    public Severity MinimumSeverity { get; init; } = Severity.Low;

    /// <summary>How often a heartbeat is sent; zero for none ("off"). Default: daily.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Email alerts through <see cref="Smtp"/> when it names recipients.</summary>
    public EmailOptions? Email { get; init; }

    /// <summary>A Prometheus text file written after each cycle, when set.</summary>
    public string? MetricsFile { get; init; }

    /// <summary>Where alerts also go as Elastic Common Schema records over syslog (<see cref="Alerting.SyslogAlertSink"/>), when set.</summary>
    public Uri? Syslog { get; init; }

    /// <summary>A file alerts are also appended to (<see cref="FileAlertSink"/>: 0600, rotated at 64 MiB), when set.</summary>
    public string? AlertsFile { get; init; }

    /// <summary>How <see cref="AlertsFile"/>, and stdout when no other sink is set, hold alerts: "generic" (default) or "ecs".</summary>
    public string AlertsFormat { get; init; } = "generic";

    /// <summary>For a tls:// <see cref="Syslog"/>: the PEM file of the certificate authority its server's certificate must chain to (default: the system's).</summary>
    public string? SyslogCa { get; init; }

    /// <summary>Where /metrics and /healthz are served over HTTP (ADDR:PORT, <see cref="Monitoring.PrometheusEndpoint"/>), when set.</summary>
    public string? Listen { get; init; }

    /// <summary>The store key's file, when set (else <see cref="StoreKey.Load"/>'s default).</summary>
    public string? KeyFile { get; init; }

    /// <summary>See changes as they happen (fanotify) and name who made them (<see cref="DriftMonitorOptions.Realtime"/>).</summary>
    public bool Realtime { get; init; }

    /// <summary>With <see cref="Realtime"/>: how long writes must have stopped before they are examined. Default: 0.5 s.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the "watch" keys of <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOptionException">A setting is invalid; the message names it as it was given.</exception>
    public static WatchSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var read = new SettingReader(configuration, Section);
        var email = read.List("emailTo");
        var directory = read.Text("dir") ?? "snapshots";
        if (read.Text("metricsFile") is { } metrics && Path.GetFullPath(metrics).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/", StringComparison.Ordinal))
        {
            // The store keeps only what it writes: a foreign file in it is quarantined and alerted, every cycle.
            throw new InvalidOptionException(read.Source("metricsFile"), $"{metrics} lies in the store {directory}, which holds only its own files: write it elsewhere, e.g. /run/infradiff/infradiff.prom");
        }

        Uri? syslog = null;
        if (read.Text("syslog") is { } syslogText && Alerting.SyslogAlertSink.Problem(syslogText, out syslog) is { } syslogProblem)
        {
            throw new InvalidOptionException(read.Source("syslog"), syslogProblem);
        }

        if (read.Text("listen") is { } listen && Monitoring.PrometheusEndpoint.PrefixOf(listen) is null)
        {
            throw new InvalidOptionException(read.Source("listen"), Monitoring.PrometheusEndpoint.Malformed(listen));
        }

        return new WatchSettings
        {
            Interval = read.Duration("interval") ?? TimeSpan.FromMinutes(5),
            Directory = directory,
            Webhook = read.Url("webhook"),
            WebhookFormat = read.Choice("webhookFormat", ReportFormats.WebhookNames) ?? "generic",
            WebhookSecret = read.Text("webhookSecret"),
            Against = read.Enum<DriftReference>("against") ?? DriftReference.Previous,
            RepeatAfter = read.Duration("repeatAfter", waited: false) ?? TimeSpan.FromHours(24),
            Keep = read.Count("keep") ?? 100,
            KeepReports = read.Count("keepReports") ?? 10_000,
            MinimumSeverity = read.Enum<Severity>("minSeverity") ?? Severity.Low,
            Heartbeat = read.Text("heartbeat") == "off" ? TimeSpan.Zero : read.Duration("heartbeat") ?? TimeSpan.FromDays(1),
            Email = email.Count == 0 ? null : Smtp(read, email),
            MetricsFile = read.Text("metricsFile"),
            Listen = read.Text("listen"),
            Syslog = syslog,
            AlertsFile = read.Text("alertsFile"),
            AlertsFormat = read.Choice("alertsFormat", FileAlertSink.Formats) ?? "generic",
            SyslogCa = read.Text("syslogCa"),
            KeyFile = read.Text("keyFile"),
            ResetBaseline = read.Flag("resetBaseline") ?? false,
            Realtime = read.Flag("realtime") ?? false,
            Settle = read.Duration("settle") ?? TimeSpan.FromMilliseconds(500),
            ResetBaselineName = SettingsLayers.NameOf(configuration, $"{Section}:resetBaseline"),
        };
    }

    /// <summary>Make a new baseline although the store had one that is gone (deleted or quarantined): for one run, once the host is known to be good.</summary>
    public bool ResetBaseline { get; init; }

    /// <summary>How a store alert names the way to make a new baseline ("--reset-baseline" where the command line has it).</summary>
    public string ResetBaselineName { get; init; } = "watch:resetBaseline";

    /// <summary>The monitor's options: these settings, with <paramref name="rules"/> at the minimum severity and what each cycle collects.</summary>
    public DriftMonitorOptions MonitorOptions(DriftRules rules, SnapshotOptions snapshot)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        return new DriftMonitorOptions
        {
            Directory = Directory,
            Interval = Interval,
            Against = Against,
            RepeatAfter = RepeatAfter,
            Keep = Keep,
            KeepReports = KeepReports,
            Rules = rules with { MinimumSeverity = MinimumSeverity },
            Snapshot = snapshot,
            ResetBaseline = ResetBaseline,
            ResetBaselineName = ResetBaselineName,
            Heartbeat = Heartbeat,
            Realtime = Realtime,
            Settle = Settle,
            StoreKey = StoreKey.Load(KeyFile),
        };
    }

    /// <summary>The sinks these settings name: the webhook, email; stdout (JSON lines) when neither is set.</summary>
    public IReadOnlyList<IAlertSink> CreateSinks(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var sinks = new List<IAlertSink>();
        if (CreateWebhookSink(loggers) is { } webhook)
        {
            sinks.Add(webhook);
        }

        if (Email is { } email)
        {
            sinks.Add(new EmailAlertSink(email));
        }

        if (Syslog is { } syslog)
        {
            sinks.Add(new SyslogAlertSink(syslog, SyslogCa));
        }

        if (AlertsFile is { } file)
        {
            sinks.Add(new FileAlertSink(file, AlertsFormat));
        }

        return sinks.Count > 0 ? sinks : [new FileAlertSink("-", AlertsFormat)];
    }

    /// <summary>The webhook sink, when a webhook is set.</summary>
    public WebhookAlertSink? CreateWebhookSink(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return Webhook is { } url
            ? new WebhookAlertSink(new WebhookOptions { Url = url, Format = WebhookFormat, Secret = WebhookSecret }, loggers.CreateLogger<WebhookAlertSink>())
            : null;
    }

    private static EmailOptions Smtp(SettingReader read, IReadOnlyList<string> to)
    {
        var smtp = read.Text("smtp") ?? throw new InvalidOptionException(read.Source("emailTo"), $"needs an SMTP server too: {read.Name("smtp")} HOST[:PORT]");
        var colon = smtp.LastIndexOf(':');
        var port = 25;
        if (colon > 0 && (!int.TryParse(smtp[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOptionException(read.Source("smtp"), $"must be HOST or HOST:PORT, not '{Excerpt.Cut(smtp)}'");
        }

        var email = new EmailOptions { SmtpHost = colon > 0 ? smtp[..colon] : smtp, SmtpPort = port, To = [.. to] };
        if (read.Text("emailFrom") is { } from)
        {
            email.From = from;
        }

        email.Validate();
        return email;
    }
}
