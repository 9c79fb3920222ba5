using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InfraDiff.Alerting;
using InfraDiff.Configuration;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary>
/// The watch loop's settings, each from the first place that gives it: flags, then the environment
/// (INFRADIFF_* names, and the seed's WEBHOOK_URL, INTERVAL, SNAPSHOT_DIR), then ./.env, then infradiff.json,
/// then the defaults.
/// </summary>
internal sealed partial class WatchSettings
{
    public readonly Option<string> Interval = new("--interval") { Description = "Time between cycles: 300 (seconds), 30s, 5m, 1h [env INTERVAL, INFRADIFF_INTERVAL; default 5m].", HelpName = "DURATION" };
    public readonly Option<string> Dir = new("--dir") { Description = "The snapshot store [env SNAPSHOT_DIR, INFRADIFF_DIR; default ./snapshots].", HelpName = "DIR" };
    public readonly Option<string> Webhook = new("--webhook") { Description = "POST alerts here [env WEBHOOK_URL, INFRADIFF_WEBHOOK_URL]; without one, alerts go to stdout as JSON lines. WEBHOOK_SECRET signs them.", HelpName = "URL" };
    public readonly Option<string> WebhookFormat = new Option<string>("--webhook-format") { Description = $"The body posted: {string.Join(", ", ReportFormats.WebhookNames)} (slack also suits Mattermost and Rocket.Chat) [env INFRADIFF_WEBHOOK_FORMAT; default generic]." }.AcceptOnlyFromAmong([.. ReportFormats.WebhookNames]);
    public readonly Option<string> Against = new Option<string>("--against") { Description = "previous: alert once per change; baseline: alert while drift persists [env INFRADIFF_AGAINST; default previous]." }.AcceptOnlyFromAmong("previous", "baseline");
    public readonly Option<string> RepeatAfter = new("--repeat-after") { Description = "With --against baseline, repeat an unchanged drift's alert after this long [env INFRADIFF_REPEAT_AFTER; default 24h].", HelpName = "DURATION" };
    public readonly Option<int?> Keep = new("--keep") { Description = "Snapshots kept (a cycle that changed nothing stores none); the baseline and the latest are never deleted [env INFRADIFF_KEEP; default 100].", HelpName = "N" };
    public readonly Option<int?> KeepReports = new("--keep-reports") { Description = "Cycle records kept in the store's reports/ folder, each with its drift report when it alerted ('infradiff history' lists them) [env INFRADIFF_KEEP_REPORTS; default 10000].", HelpName = "N" };
    public readonly Option<string> MinSeverity = new Option<string>("--min-severity") { Description = "Alert only on changes at or above low, medium, high or critical [env INFRADIFF_MIN_SEVERITY; default low]." }.AcceptOnlyFromAmong(ConfigFile.SeverityNames);

    public readonly Option<string[]> EmailTo = new("--email-to") { Description = "Also email alerts to ADDRESS (repeatable; comma-separated in env INFRADIFF_EMAIL_TO), through --smtp.", HelpName = "ADDRESS" };
    public readonly Option<string> Smtp = new("--smtp") { Description = "The SMTP server for --email-to: HOST or HOST:PORT [env INFRADIFF_SMTP; default port 25]; STARTTLS when offered.", HelpName = "HOST[:PORT]" };
    public readonly Option<string> EmailFrom = new("--email-from") { Description = "The sender of email alerts [env INFRADIFF_EMAIL_FROM; default infradiff@HOSTNAME].", HelpName = "ADDRESS" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Interval, Dir, Webhook, WebhookFormat, Against, RepeatAfter, Keep, KeepReports, MinSeverity, EmailTo, Smtp, EmailFrom })
        {
            command.Options.Add(option);
        }
    }

    public sealed record Resolved(TimeSpan Interval, string Dir, Uri? Webhook, string Format, string? Secret, DriftReference Against, TimeSpan RepeatAfter, int Keep, Severity MinSeverity)
    {
        /// <summary>Cycle records kept.</summary>
        public int KeepReports { get; init; } = 10_000;

        /// <summary>The email sink, when --email-to (or INFRADIFF_EMAIL_TO) names a recipient.</summary>
        public EmailOptions? Email { get; init; }

        /// <summary>The sinks these settings name: the webhook, email; stdout (JSON lines) when neither is given.</summary>
        public IReadOnlyList<IAlertSink> Sinks(ILoggerFactory loggers)
        {
            var sinks = new List<IAlertSink>();
            if (Webhook is { } url)
            {
                sinks.Add(WebhookSink(url, loggers));
            }

            if (Email is { } email)
            {
                sinks.Add(new EmailAlertSink(email));
            }

            return sinks.Count > 0 ? sinks : [new FileAlertSink("-")];
        }

        /// <summary>The webhook sink these settings describe, posting to <paramref name="url"/>.</summary>
        public WebhookAlertSink WebhookSink(Uri url, ILoggerFactory loggers) =>
            new(new WebhookOptions { Url = url, Format = Format, Secret = Secret }, loggers.CreateLogger<WebhookAlertSink>());
    }

    /// <summary>A webhook URL as given (a flag, the file, the environment): absolute http or https, else one line naming it with its secrets redacted.</summary>
    internal static Uri WebhookUrl(string webhook) =>
        Uri.TryCreate(webhook, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new InfraDiffException($"the webhook must be an http or https URL, not '{Redaction.SecretRedactor.RedactUrls(webhook)}'");

    /// <summary>The keys of infradiff.json's "watch" section, each also a key of the layered settings.</summary>
    internal static readonly string[] FileKeys = ["interval", "dir", "webhook", "webhookFormat", "against", "repeatAfter", "keep", "minSeverity"];

    /// <summary>The section of infradiff.json these settings read.</summary>
    internal const string FileSection = "watch";

    public Resolved Resolve(ParseResult parseResult, InfraDiffConfiguration configuration)
    {
        if (configuration.Section(FileSection) is { ValueKind: JsonValueKind.Object } section
            && section.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !FileKeys.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            throw new InfraDiffException($"invalid configuration: unknown setting 'watch.{Excerpt.Cut(unknown)}' (known: {string.Join(", ", FileKeys)})");
        }

        var settings = Layers(parseResult, configuration);
        string? Pick(Option option) => settings[Key(option)] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

        var emailTo = (Pick(EmailTo) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        EmailOptions? email = null;
        if (emailTo.Length > 0)
        {
            var smtp = Pick(Smtp) ?? throw new InfraDiffException("--email-to needs --smtp HOST[:PORT] (or INFRADIFF_SMTP)");
            var colon = smtp.LastIndexOf(':');
            var port = 25;
            if (colon > 0 && (!int.TryParse(smtp[(colon + 1)..], CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            {
                throw new InfraDiffException($"--smtp must be HOST or HOST:PORT, not '{smtp}'");
            }

            email = new EmailOptions { SmtpHost = colon > 0 ? smtp[..colon] : smtp, SmtpPort = port, To = emailTo };
            if (Pick(EmailFrom) is { } from)
            {
                email.From = from;
            }

            email.Validate();
        }

        var url = Pick(Webhook) is { } webhook ? WebhookUrl(webhook) : null;

        var keep = AtLeastOne("keep", Pick(Keep) ?? "100");
        var keepReports = AtLeastOne("keep-reports", Pick(KeepReports) ?? "10000");

        return new Resolved(
            Duration("interval", Pick(Interval) ?? "5m"),
            Pick(Dir) ?? "snapshots",
            url,
            WebhookFormatName(Pick(WebhookFormat) ?? "generic"),
            settings[SecretKey],
            Choice<DriftReference>("against", Pick(Against) ?? "previous"),
            Duration("repeat-after", Pick(RepeatAfter) ?? "24h", waited: false),
            keep,
            Choice<Severity>("min-severity", Pick(MinSeverity) ?? "low"))
        {
            Email = email,
            KeepReports = keepReports,
        };
    }

    private const string SecretKey = "webhookSecret";

    /// <summary>Where each setting may come from besides its flag: the environment (and .env) names, first found wins.</summary>
    private Dictionary<string, string[]> EnvironmentNames() => new(StringComparer.OrdinalIgnoreCase)
    {
        [Key(Interval)] = ["INFRADIFF_INTERVAL", "INTERVAL"],
        [Key(Dir)] = ["INFRADIFF_DIR", "SNAPSHOT_DIR"],
        [Key(Webhook)] = ["INFRADIFF_WEBHOOK_URL", "WEBHOOK_URL"],
        [Key(WebhookFormat)] = ["INFRADIFF_WEBHOOK_FORMAT"],
        [Key(Against)] = ["INFRADIFF_AGAINST"],
        [Key(RepeatAfter)] = ["INFRADIFF_REPEAT_AFTER"],
        [Key(Keep)] = ["INFRADIFF_KEEP"],
        [Key(KeepReports)] = ["INFRADIFF_KEEP_REPORTS"],
        [Key(MinSeverity)] = ["INFRADIFF_MIN_SEVERITY"],
        [Key(EmailTo)] = ["INFRADIFF_EMAIL_TO"],
        [Key(Smtp)] = ["INFRADIFF_SMTP"],
        [Key(EmailFrom)] = ["INFRADIFF_EMAIL_FROM"],
        [SecretKey] = ["INFRADIFF_WEBHOOK_SECRET", "WEBHOOK_SECRET"],
    };

    /// <summary>"--repeat-after" → "repeatAfter": the key a flag's setting has in every layer.</summary>
    private static string Key(Option option) =>
        string.Concat(option.Name.TrimStart('-').Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// The settings in layers, each overriding the one before: infradiff.json's "watch" section, ./.env, the environment,
    /// the flags. .env is read without touching the process environment, so a real environment variable still wins.
    /// </summary>
    private IConfiguration Layers(ParseResult parseResult, InfraDiffConfiguration configuration)
    {
        var names = EnvironmentNames();
        var dotenv = File.Exists(".env") || new FileInfo(".env").LinkTarget is not null
            ? DotNetEnv.Env.LoadContents(Host.InputFile.ReadAllText(".env"), DotNetEnv.Env.NoEnvVars()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
            : [];
        Dictionary<string, string?> FromNames(Func<string, string?> source) =>
            names.Select(n => (n.Key, Value: n.Value.Select(source).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))))
                .Where(n => n.Value is not null).ToDictionary(n => n.Key, n => n.Value);

        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in new Option[] { Interval, Dir, Webhook, WebhookFormat, Against, RepeatAfter, Keep, KeepReports, MinSeverity, EmailTo, Smtp, EmailFrom })
        {
            if (parseResult.GetResult(option) is { Implicit: false } given)
            {
                flags[Key(option)] = given.GetValueOrDefault<object>() switch
                {
                    string[] many => string.Join(',', many),
                    var one => one?.ToString(),
                };
            }
        }

        var builder = new ConfigurationBuilder();
        if (configuration.Section(FileSection) is { } section)
        {
            builder.AddJsonStream(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(section)));
        }

        var layered = builder
            .AddInMemoryCollection(FromNames(n => dotenv.GetValueOrDefault(n)))
            .AddInMemoryCollection(FromNames(Environment.GetEnvironmentVariable))
            .AddInMemoryCollection(flags)
            .Build();
        return layered;
    }

    private static int AtLeastOne(string name, string text) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var count) && count >= 1 ? count : throw new InfraDiffException($"{name} must be a whole number of at least 1, not '{text}'");

    /// <summary>The longest the runtime can wait for in one go (Task.Delay and timers take int milliseconds): about 24.8 days.</summary>
    internal static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>"300" (seconds, as the seed's INTERVAL), "30s", "5m", "2h", "1d", or "hh:mm:ss"; one that is waited for is at most <see cref="LongestWait"/>.</summary>
    internal static TimeSpan Duration(string what, string text, bool waited = true)
    {
        var match = DurationPattern().Match(text.Trim());
        TimeSpan value;
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            value = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            throw new InfraDiffException($"{what} must be a duration such as 300, 30s, 5m or 1h, not '{text}'");
        }

        if (value <= TimeSpan.Zero)
        {
            throw new InfraDiffException($"{what} must be longer than zero, not '{text}'");
        }

        return !waited || value <= LongestWait ? value : throw new InfraDiffException($"{what} can be at most 24 days (the longest a timer waits), not '{text}'");
    }

    private static string WebhookFormatName(string text) =>
        ReportFormats.WebhookNames.Contains(text) ? text : throw new InfraDiffException($"webhook format cannot be '{text}'");

    private static T Choice<T>(string what, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw new InfraDiffException($"{what} cannot be '{text}'");

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$")]
    private static partial Regex DurationPattern();
}
