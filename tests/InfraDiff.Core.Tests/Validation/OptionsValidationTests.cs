using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Docker;
using InfraDiff.Sections.Files;
using InfraDiff.Sections.Os;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InfraDiff.Tests.Validation;

/// <summary>Every option a user can set with a value it cannot take: one message, naming the option, from where the option is defined.</summary>
public sealed class OptionsValidationTests
{
    private static readonly Uri Hook = new("https://hooks.example/x");

    public static TheoryData<string, Action, string> Invalid => new()
    {
        { "WebhookOptions.Url", () => new WebhookOptions { Url = new Uri("ftp://files.example/x") }.Validate(), "must be an absolute http or https URL (was ftp: …)" },
        { "WebhookOptions.Url", () => new WebhookOptions { Url = new Uri("/relative", UriKind.Relative) }.Validate(), "must be an absolute http or https URL (was a relative URL)" },
        { "WebhookOptions.Url", () => new WebhookOptions { Url = null! }.Validate(), "is required" },
        { "WebhookOptions.MaxAttempts", () => new WebhookOptions { Url = Hook, MaxAttempts = 0 }.Validate(), "must be between 1 and 100 (was 0)" },
        { "WebhookOptions.Timeout", () => new WebhookOptions { Url = Hook, Timeout = TimeSpan.Zero }.Validate(), "must be longer than zero (was 0 s)" },
        { "WebhookOptions.BaseDelay", () => new WebhookOptions { Url = Hook, BaseDelay = TimeSpan.FromSeconds(-1) }.Validate(), "must not be negative (was -1 s)" },
        { "WebhookOptions.MaxDelay", () => new WebhookOptions { Url = Hook, BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) }.Validate(), "must not be shorter than BaseDelay" },
        { "WebhookOptions.MaxGenericBytes", () => new WebhookOptions { Url = Hook, MaxGenericBytes = 100 }.Validate(), "must be at least 4096 (was 100)" },
        { "EmailOptions.SmtpHost", () => new EmailOptions { SmtpHost = " ", To = ["a@example.org"] }.Validate(), "must not be empty" },
        { "EmailOptions.SmtpPort", () => new EmailOptions { SmtpHost = "mail", SmtpPort = 70000, To = ["a@example.org"] }.Validate(), "must be between 1 and 65535 (was 70000)" },
        { "EmailOptions.To", () => new EmailOptions { SmtpHost = "mail", To = [] }.Validate(), "needs at least one recipient" },
        { "EmailOptions.To", () => new EmailOptions { SmtpHost = "mail", To = ["not an address"] }.Validate(), "'not an address' is not an email address" },
        { "EmailOptions.From", () => new EmailOptions { SmtpHost = "mail", To = ["a@example.org"], From = "no body" }.Validate(), "'no body' is not an email address" },
        { "EmailOptions.Password", () => new EmailOptions { SmtpHost = "mail", To = ["a@example.org"], Password = "x" }.Validate(), "is set without a UserName" },
        { "EmailOptions.Timeout", () => new EmailOptions { SmtpHost = "mail", To = ["a@example.org"], Timeout = TimeSpan.FromSeconds(-3) }.Validate(), "must be longer than zero (was -3 s)" },
        { "SnapshotOptions.Root", () => new SnapshotOptions { Root = "" }.Validate(), "must not be empty" },
        { "SnapshotOptions.CollectorTimeout", () => new SnapshotOptions { CollectorTimeout = TimeSpan.FromSeconds(-30) }.Validate(), "must be longer than zero (or Timeout.InfiniteTimeSpan for no limit) (was -30 s)" },
        { "SnapshotOptions.CollectorTimeouts[files]", () => new SnapshotOptions { CollectorTimeouts = new Dictionary<string, TimeSpan> { ["files"] = TimeSpan.Zero } }.Validate(), "must be longer than zero (or Timeout.InfiniteTimeSpan for no limit) (was 0 s)" },
        { "FilesCollectorOptions.Roots", () => new FilesCollectorOptions { Roots = [] }.Validate(), "needs at least one path" },
        { "FilesCollectorOptions.Roots", () => new FilesCollectorOptions { Roots = ["etc"] }.Validate(), "must be an absolute path (was 'etc')" },
        { "FilesCollectorOptions.Excludes", () => new FilesCollectorOptions { Excludes = ["*.log"] }.Validate(), "must be an absolute path (was '*.log')" },
        { "FilesCollectorOptions.CacheDirectory", () => new FilesCollectorOptions { CacheDirectory = "" }.Validate(), "must not be empty" },
        { "OsCollectorOptions.Sysctls", () => new OsCollectorOptions { Sysctls = ["net/../../etc/shadow"] }.Validate(), "'net/../../etc/shadow' is not a kernel parameter name (dotted, like net.ipv4.ip_forward)" },
        { "DockerCollectorOptions.Host", () => new DockerCollectorOptions { Host = "::not a uri" }.Validate(), "must be an engine endpoint such as unix:///var/run/docker.sock or tcp://host:2376 (was '::not a uri')" },
        { "DockerCollectorOptions.KeyDirectory", () => new DockerCollectorOptions { KeyDirectory = "" }.Validate(), "must not be empty" },
        { "DockerCollectorOptions.Timeout", () => new DockerCollectorOptions { Timeout = TimeSpan.Zero }.Validate(), "must be longer than zero (was 0 s)" },
        { "DriftMonitorOptions.Directory", () => new DriftMonitorOptions { Directory = "" }.Validate(), "must not be empty" },
        { "DriftMonitorOptions.Interval", () => new DriftMonitorOptions { Interval = TimeSpan.Zero }.Validate(), "must be longer than zero (was 0 s)" },
        { "DriftMonitorOptions.RepeatAfter", () => new DriftMonitorOptions { RepeatAfter = TimeSpan.FromHours(-1) }.Validate(), "must not be negative (was -3600 s)" },
        { "DriftMonitorOptions.Keep", () => new DriftMonitorOptions { Keep = 0 }.Validate(), "must be at least 1 (was 0)" },
        { "DriftMonitorOptions.KeepReports", () => new DriftMonitorOptions { KeepReports = -5 }.Validate(), "must be at least 1 (was -5)" },
        { "DriftMonitorOptions.Heartbeat", () => new DriftMonitorOptions { Heartbeat = TimeSpan.FromMinutes(-1) }.Validate(), "must not be negative (was -60 s)" },
        { "DriftMonitorOptions.Rules", () => new DriftMonitorOptions { Rules = null! }.Validate(), "is required" },
        { "DriftMonitorOptions.Snapshot", () => new DriftMonitorOptions { Snapshot = null! }.Validate(), "is required" },
        { "SnapshotOptions.Root", () => new DriftMonitorOptions { Snapshot = new SnapshotOptions { Root = " " } }.Validate(), "must not be empty" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_value_is_one_message_naming_its_option(string option, Action validate, string problem)
    {
        var error = Assert.Throws<InvalidOptionException>(validate);

        Assert.Equal((option, problem), (error.Option, error.Problem));
        Assert.Equal($"{option}: {problem}", error.Message);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        new SnapshotOptions().Validate();
        new FilesCollectorOptions().Validate();
        new OsCollectorOptions().Validate();
        new DockerCollectorOptions().Validate();
        new DriftMonitorOptions().Validate();
        new WebhookOptions { Url = Hook }.Validate();
        new EmailOptions { SmtpHost = "mail", To = ["a@example.org"] }.Validate();
    }

    [Fact]
    public void What_takes_options_checks_them_before_anything_runs()
    {
        Assert.Equal("WebhookOptions.MaxAttempts", Assert.Throws<InvalidOptionException>(() => new WebhookAlertSink(new WebhookOptions { Url = Hook, MaxAttempts = 0 })).Option);
        Assert.Equal("WebhookOptions.Url", Assert.Throws<InvalidOptionException>(() => new WebhookAlertSink(new WebhookOptions { Url = new Uri("ftp://x/") })).Option);
        Assert.Equal("EmailOptions.To", Assert.Throws<InvalidOptionException>(() => new EmailAlertSink(new EmailOptions { SmtpHost = "mail", To = [] })).Option);
        Assert.Equal("FilesCollectorOptions.Roots", Assert.Throws<InvalidOptionException>(() => BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = ["relative"] })).Option);
        Assert.Equal("DriftMonitorOptions.Interval", Assert.Throws<InvalidOptionException>(() => new DriftMonitor(new Snapshotter([]), new DriftMonitorOptions { Interval = TimeSpan.Zero }, [])).Option);
    }

    [Fact]
    public async Task A_snapshot_with_an_invalid_timeout_stops_before_collecting()
    {
        var error = await Assert.ThrowsAsync<InvalidOptionException>(() => new Snapshotter([]).TakeAsync(new SnapshotOptions { CollectorTimeout = TimeSpan.FromSeconds(-1) }));

        Assert.Equal("SnapshotOptions.CollectorTimeout", error.Option);
    }

    [Fact]
    public void Under_the_options_pattern_every_problem_is_listed_when_the_options_are_read()
    {
        var services = new ServiceCollection();
        services.AddInfraDiff();
        services.Configure<FilesCollectorOptions>(o =>
        {
            o.Roots = ["etc"];
            o.CacheDirectory = "";
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FilesCollectorOptions>>().Value);

        Assert.Equal(["FilesCollectorOptions.Roots: must be an absolute path (was 'etc')", "FilesCollectorOptions.CacheDirectory: must not be empty"], error.Failures);
    }
}
