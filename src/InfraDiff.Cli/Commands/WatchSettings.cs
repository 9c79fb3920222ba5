using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using InfraDiff.Alerting;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
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
    public readonly Option<string> WebhookFormat = new Option<string>("--webhook-format") { Description = "generic, slack (also Mattermost, Rocket.Chat), teams or discord [env INFRADIFF_WEBHOOK_FORMAT; default generic]." }.AcceptOnlyFromAmong("generic", "slack", "teams", "discord");
    public readonly Option<string> Against = new Option<string>("--against") { Description = "previous: alert once per change; baseline: alert while drift persists [env INFRADIFF_AGAINST; default previous]." }.AcceptOnlyFromAmong("previous", "baseline");
    public readonly Option<string> RepeatAfter = new("--repeat-after") { Description = "With --against baseline, repeat an unchanged drift's alert after this long [env INFRADIFF_REPEAT_AFTER; default 24h].", HelpName = "DURATION" };
    public readonly Option<int?> Keep = new("--keep") { Description = "Snapshots kept (a cycle that changed nothing stores none); the baseline and the latest are never deleted [env INFRADIFF_KEEP; default 100].", HelpName = "N" };
    public readonly Option<int?> KeepReports = new("--keep-reports") { Description = "Cycle records kept in the store's reports/ folder, each with its drift report when it alerted ('infradiff history' lists them) [env INFRADIFF_KEEP_REPORTS; default 10000].", HelpName = "N" };
    public readonly Option<string> MinSeverity = new Option<string>("--min-severity") { Description = "Alert only on changes at or above low, medium, high or critical [env INFRADIFF_MIN_SEVERITY; default low]." }.AcceptOnlyFromAmong("low", "medium", "high", "critical");

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

    public sealed record Resolved(TimeSpan Interval, string Dir, Uri? Webhook, WebhookFormat Format, string? Secret, Comparison Against, TimeSpan RepeatAfter, int Keep, Severity MinSeverity)
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

    public Resolved Resolve(ParseResult parseResult, InfraDiffConfiguration configuration)
    {
        // .env is read without touching the process environment, so a real environment variable still wins.
        var dotenv = File.Exists(".env") || new FileInfo(".env").LinkTarget is not null
            ? DotNetEnv.Env.LoadContents(Snapshots.InputFile.ReadAllText(".env"), DotNetEnv.Env.NoEnvVars()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
            : new Dictionary<string, string>();
        var file = configuration.Watch;
        string? Pick(Option option, string? fromFile, params string[] names)
        {
            if (parseResult.GetResult(option) is { Implicit: false } given)
            {
                return given.GetValueOrDefault<object>()?.ToString();
            }

            foreach (var source in new Func<string, string?>[] { Environment.GetEnvironmentVariable, n => dotenv.GetValueOrDefault(n) })
            {
                if (names.Select(source).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } value)
                {
                    return value;
                }
            }

            return fromFile;
        }

        var emailTo = parseResult.GetValue(EmailTo) is { Length: > 0 } given ? given : (Pick(EmailTo, null, "INFRADIFF_EMAIL_TO") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        EmailOptions? email = null;
        if (emailTo.Length > 0)
        {
            var smtp = Pick(Smtp, null, "INFRADIFF_SMTP") ?? throw new InfraDiffException("--email-to needs --smtp HOST[:PORT] (or INFRADIFF_SMTP)");
            var colon = smtp.LastIndexOf(':');
            var port = 25;
            if (colon > 0 && (!int.TryParse(smtp[(colon + 1)..], CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            {
                throw new InfraDiffException($"--smtp must be HOST or HOST:PORT, not '{smtp}'");
            }

            try
            {
                email = new EmailOptions { SmtpHost = colon > 0 ? smtp[..colon] : smtp, SmtpPort = port, To = emailTo.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() };
                if (Pick(EmailFrom, null, "INFRADIFF_EMAIL_FROM") is { } from)
                {
                    email = email with { From = from };
                }

                _ = new EmailAlertSink(email);
            }
            catch (ArgumentException ex)
            {
                throw new InfraDiffException($"--email-to: {ex.Message.Split(" (Parameter")[0]}");
            }
        }

        var webhook = Pick(Webhook, file.Webhook, "INFRADIFF_WEBHOOK_URL", "WEBHOOK_URL");
        Uri? url = null;
        if (webhook is not null && (!Uri.TryCreate(webhook, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
        {
            throw new InfraDiffException($"the webhook must be an http or https URL, not '{Redaction.SecretRedactor.RedactUrls(webhook)}'");
        }

        var keep = AtLeastOne("keep", Pick(Keep, file.Keep?.ToString(CultureInfo.InvariantCulture), "INFRADIFF_KEEP") ?? "100");
        var keepReports = AtLeastOne("keep-reports", Pick(KeepReports, null, "INFRADIFF_KEEP_REPORTS") ?? "10000");

        return new Resolved(
            Duration("interval", Pick(Interval, file.Interval, "INFRADIFF_INTERVAL", "INTERVAL") ?? "5m"),
            Pick(Dir, file.Dir, "INFRADIFF_DIR", "SNAPSHOT_DIR") ?? "snapshots",
            url,
            Choice<WebhookFormat>("webhook format", Pick(WebhookFormat, file.WebhookFormat, "INFRADIFF_WEBHOOK_FORMAT") ?? "generic"),
            Environment.GetEnvironmentVariable("INFRADIFF_WEBHOOK_SECRET") ?? Environment.GetEnvironmentVariable("WEBHOOK_SECRET")
                ?? dotenv.GetValueOrDefault("INFRADIFF_WEBHOOK_SECRET") ?? dotenv.GetValueOrDefault("WEBHOOK_SECRET"),
            Choice<Comparison>("against", Pick(Against, file.Against, "INFRADIFF_AGAINST") ?? "previous"),
            Duration("repeat-after", Pick(RepeatAfter, file.RepeatAfter, "INFRADIFF_REPEAT_AFTER") ?? "24h", waited: false),
            keep,
            Choice<Severity>("min-severity", Pick(MinSeverity, file.MinSeverity, "INFRADIFF_MIN_SEVERITY") ?? "low"))
        {
            Email = email,
            KeepReports = keepReports,
        };
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

    private static T Choice<T>(string what, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw new InfraDiffException($"{what} cannot be '{text}'");

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$")]
    private static partial Regex DurationPattern();
}
