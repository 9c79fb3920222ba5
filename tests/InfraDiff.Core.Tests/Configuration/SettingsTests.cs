using InfraDiff.Configuration;
using InfraDiff.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InfraDiff.Tests.Configuration;

/// <summary>One configuration model: infradiff.json, .env, the environment and flags as layers, read by one binder with one duration grammar.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("idt-settings-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly Dictionary<string, (string Flag, string? Value)> NoFlags = [];

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("250ms", 0.25)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1.5m", 90)]
    [InlineData("00:05:00", 300)]
    public void A_duration_reads_the_same_everywhere(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5m")]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public void Each_layer_overrides_the_one_before_and_a_setting_is_named_where_it_was_given()
    {
        var file = InfraDiffConfiguration.Load(Write("infradiff.json", """{"watch": {"interval": "1h", "keep": 7, "dir": "from-file", "webhookFormat": "slack"}}"""));
        var dotEnv = Write(".env", "INTERVAL=30m\nexport SNAPSHOT_DIR=\"from dotenv\" # a comment\n");
        var environment = new Dictionary<string, string> { ["INFRADIFF_INTERVAL"] = "10m", ["INFRADIFF_KEEP"] = "" };
        var flags = new Dictionary<string, (string Flag, string? Value)> { ["watch:interval"] = ("--interval", "1m"), ["watch:keep"] = ("--keep", null) };

        var layers = SettingsLayers.Build(file, flags, dotEnv, name => environment.GetValueOrDefault(name));
        var settings = WatchSettings.Bind(layers);

        Assert.Equal(TimeSpan.FromMinutes(1), settings.Interval);
        Assert.Equal("from dotenv", settings.Directory);
        Assert.Equal(7, settings.Keep);
        Assert.Equal("slack", settings.WebhookFormat);
        Assert.Equal("--interval", SettingsLayers.SourceOf(layers, "watch:interval"));
        Assert.Equal($"SNAPSHOT_DIR in {dotEnv}", SettingsLayers.SourceOf(layers, "watch:dir"));
        Assert.Equal($"watch.keep in {file.Path}", SettingsLayers.SourceOf(layers, "watch:keep"));
        Assert.Equal("--keep", SettingsLayers.NameOf(layers, "watch:keep"));
    }

    [Theory]
    [InlineData("keep", "0", "must be a whole number of at least 1, not '0'")]
    [InlineData("against", "yesterday", "'yesterday' is not one of previous, baseline")]
    [InlineData("webhook", "ftp://u:p@example.invalid/", "must be an http or https URL, not 'ftp://<redacted>@example.invalid/'")]
    [InlineData("emailTo", "ops@example.invalid", "needs an SMTP server too: smtp (env INFRADIFF_SMTP) HOST[:PORT]")]
    [InlineData("heartbeat", "daily", "must be a duration such as 300, 30s, 5m or 1h, not 'daily'")]
    public void A_bad_watch_setting_is_one_message_naming_it(string key, string value, string problem)
    {
        var layers = SettingsLayers.Build(new InfraDiffConfiguration(), new Dictionary<string, (string, string?)> { [$"watch:{key}"] = ($"--{key}", value) }, dotEnvPath: null, environment: _ => null);

        var error = Assert.Throws<InvalidOptionException>(() => WatchSettings.Bind(layers));

        Assert.Equal($"--{key}: {problem}", error.Message);
    }

    [Fact]
    public void Snapshot_settings_are_checked_before_anything_is_collected()
    {
        InvalidOptionException Bind(params (string Key, string Value)[] flags) =>
            Assert.Throws<InvalidOptionException>(() => SnapshotSettings.Bind(SettingsLayers.Build(new InfraDiffConfiguration(), flags.ToDictionary(f => f.Key, f => ($"--{f.Key[9..]}", (string?)f.Value)), null, _ => null)));

        Assert.Equal("--only: unknown section 'bogus' (known: config, docker, files, network, os, packages, scheduled, services, users)", Bind(("snapshot:only", "bogus")).Message);
        Assert.Equal("--only users,os: --exclude leaves out every section it names: the snapshot would be empty", Bind(("snapshot:only", "users,os"), ("snapshot:exclude", "os,users")).Message);
        Assert.Equal("--root /no/such/root: no such directory", Bind(("snapshot:root", "/no/such/root")).Message);
        Assert.Equal("--files etc: not an absolute path; give the path as the host sees it, e.g. /etc", Bind(("snapshot:files", "etc")).Message);
        Assert.Equal("--image: reads the image's own file system as the root: leave out --root and --host-kernel", Bind(("snapshot:image", "x"), ("snapshot:hostKernel", "true")).Message);
        Assert.Equal("--collectorTimeout: must be a duration such as 300, 30s, 5m or 1h, not '0s'", Bind(("snapshot:collectorTimeout", "0s")).Message);
    }

    [Fact]
    public void A_library_binds_the_monitor_from_configuration_with_the_same_grammar()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Interval"] = "90s",
            ["Monitor:RepeatAfter"] = "1d",
            ["Monitor:Heartbeat"] = "00:00:00",
            ["Monitor:Snapshot:CollectorTimeout"] = "2m",
            ["Monitor:Snapshot:CollectorTimeouts:files"] = "1h",
            ["Monitor:Snapshot:Exclude:0"] = "docker",
            ["Monitor:Directory"] = directory,
        }).Build();
        var services = new ServiceCollection().AddDriftMonitor(configuration.GetSection("Monitor")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<DriftMonitorOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(90), options.Interval);
        Assert.Equal(TimeSpan.FromDays(1), options.RepeatAfter);
        Assert.Equal(TimeSpan.Zero, options.Heartbeat);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Snapshot.CollectorTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.Snapshot.CollectorTimeouts["files"]);
        Assert.Equal(["docker"], options.Snapshot.Exclude);
    }

    [Fact]
    public void A_library_is_told_which_key_holds_a_bad_duration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Monitor:Interval"] = "soon" }).Build();
        var services = new ServiceCollection().AddDriftMonitor(configuration.GetSection("Monitor")).BuildServiceProvider();

        var error = Assert.Throws<InvalidOptionException>(() => services.GetRequiredService<IOptions<DriftMonitorOptions>>().Value);

        Assert.Equal("Monitor:Interval: must be a duration such as 300, 30s, 5m, 1h or 00:05:00, not 'soon'", error.Message);
    }

    [Theory]
    [InlineData("A=1\nB='two words'\nC=\"tab\\tnew\\nline\"\n# comment\n\nexport D=4 # note\n", "A=1|B=two words|C=tab\tnew\nline|D=4")]
    [InlineData("A=1\nA=2\n", "A=2")]
    [InlineData("EMPTY=\n", "EMPTY=")]
    public void A_dot_env_file_reads_as_compose_reads_it(string text, string expected)
    {
        var variables = DotEnvFile.Parse(text, ".env");

        Assert.Equal(expected, string.Join('|', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")));
    }

    [Theory]
    [InlineData("no equals sign", ".env line 1: expected NAME=VALUE, not 'no equals sign'")]
    [InlineData("OK=1\n1BAD=2", ".env line 2: expected NAME=VALUE, not '1BAD=2'")]
    [InlineData("A=\"open", ".env line 1: the value's double quote is never closed")]
    [InlineData("A='x' y", ".env line 1: unexpected text after the closing quote")]
    public void A_malformed_dot_env_line_is_one_message_naming_it(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InfraDiffException>(() => DotEnvFile.Parse(text, ".env")).Message);
}
