namespace InfraDiff.Sections.Scheduled;

/// <summary>What the <c>scheduled</c> section means: crontabs, cron scripts and timers, each something that runs.</summary>
internal sealed class ScheduledSection : SectionDescriptor
{
    public static ScheduledSection Instance { get; } = new();

    private ScheduledSection()
        : base("scheduled")
    {
        Inputs = ["/etc/crontab", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly", "/etc/cron.yearly", "/etc/crontabs", "/var/spool/cron", "/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system", "/usr/local/lib/systemd/system"];
        Nouns = [new("cron", "crontab"), new("scripts", "cron script"), new("timers", "timer")];
        SeverityRules =
        [
            SeverityRule.Of("/scheduled", Severity.High, [ChangeKind.Add]),
            SeverityRule.Of("/scheduled/cron", Severity.High),
            SeverityRule.Of("/scheduled/scripts", Severity.High),
            SeverityRule.Of("/scheduled", Severity.Medium),
        ];
    }
}
