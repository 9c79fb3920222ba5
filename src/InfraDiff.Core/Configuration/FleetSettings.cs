using System.Globalization;
using InfraDiff.Diffing;
using InfraDiff.Fleet;
using InfraDiff.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Configuration;

/// <summary>
/// Which hosts a fleet run reaches and how (the "fleet" keys of <see cref="SettingsLayers"/>): the inventory and a host
/// pattern, how many at once, the store, the builds copied to hosts, the limits, and the host every other is compared with.
/// </summary>
public sealed class FleetSettings
{
    /// <summary>The section of the settings these come from.</summary>
    public const string Section = "fleet";

    /// <summary>The keys of the section.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["inventory", "limit", "forks", "store", "tools", "hostTimeout", "connectTimeout", "exclude", "againstHost", "interval"];

    private FleetSettings(string name, IReadOnlyList<InventoryHost> hosts, FleetOptions runner, string? againstHost, string againstHostName, TimeSpan interval)
    {
        Name = name;
        Hosts = hosts;
        Runner = runner;
        AgainstHost = againstHost;
        AgainstHostName = againstHostName;
        Interval = interval;
    }

    /// <summary>What alerts call the fleet: "fleet" and the inventory's file name.</summary>
    public string Name { get; }

    /// <summary>The hosts the pattern selects from the inventory.</summary>
    public IReadOnlyList<InventoryHost> Hosts { get; }

    /// <summary>How the hosts are reached and where their snapshots go.</summary>
    public FleetOptions Runner { get; }

    /// <summary>A host every other is compared with, when set.</summary>
    public string? AgainstHost { get; }

    /// <summary>How a message names <see cref="AgainstHost"/>.</summary>
    public string AgainstHostName { get; }

    /// <summary>Time between runs of a watch. Default: 5 minutes.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Reads the "fleet" keys, loading and checking the inventory and the host pattern.</summary>
    /// <exception cref="InfraDiffException">A setting is invalid, or the inventory cannot be read or selects no host.</exception>
    public static FleetSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var read = new SettingReader(configuration, Section);
        var inventoryPath = read.Text("inventory") ?? throw new InvalidOptionException(SettingsLayers.NameOf(configuration, $"{Section}:inventory"), "is required: the hosts' inventory file");
        var hosts = Inventory.Load(inventoryPath).Select(read.Text("limit"), read.Source("limit"));
        var excluded = read.List("exclude");
        if (excluded.FirstOrDefault(n => !BuiltInSections.Names.Contains(n)) is { } unknown)
        {
            throw new InvalidOptionException(read.Source("exclude"), $"unknown section '{Excerpt.Cut(unknown)}' (known: {string.Join(", ", BuiltInSections.Names.Order(StringComparer.Ordinal))})");
        }

        var snapshotDirectory = Environment.GetEnvironmentVariable("SNAPSHOT_DIR");
        var runner = new FleetOptions
        {
            StoreDirectory = read.Text("store") ?? (string.IsNullOrEmpty(snapshotDirectory) ? "infradiff-fleet" : Path.Join(snapshotDirectory, "fleet")),
            Forks = Forks(read) ?? 5,
            HostTimeout = read.Duration("hostTimeout") ?? TimeSpan.FromMinutes(10),
            ConnectTimeout = read.Duration("connectTimeout") ?? TimeSpan.FromSeconds(10),
            SnapshotArguments = [.. excluded.SelectMany(name => new[] { "--exclude", name })],
        };
        if (read.Text("tools") is { } tools)
        {
            runner.ToolDirectory = tools;
        }

        return new FleetSettings($"fleet {Path.GetFileName(inventoryPath)}", hosts, runner, read.Text("againstHost"), read.Source("againstHost"), read.Duration("interval") ?? TimeSpan.FromMinutes(5));
    }

    /// <summary>A monitor of these hosts with <paramref name="rules"/>; <paramref name="updateBaselines"/> moves the baselines on after each run.</summary>
    public FleetMonitor CreateMonitor(DriftRules rules, bool updateBaselines, IEnumerable<Alerting.IAlertSink> sinks, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(loggers);
        return new FleetMonitor(
            new FleetRunner(Runner, loggers.CreateLogger<FleetRunner>()),
            Hosts,
            new FleetMonitorOptions
            {
                Name = Name,
                StoreDirectory = Runner.StoreDirectory,
                Interval = Interval,
                UpdateBaselines = updateBaselines,
                Comparison = new FleetComparisonOptions { Rules = rules, AgainstHost = AgainstHost, AgainstHostName = AgainstHostName },
            },
            sinks,
            loggers.CreateLogger<FleetMonitor>());
    }

    private static int? Forks(SettingReader read) =>
        read.Text("forks") is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var forks) && forks is >= 1 and <= 1000 ? forks
        : throw new InvalidOptionException(read.Source("forks"), $"must be a whole number from 1 to 1000, not '{Excerpt.Cut(text)}'");
}
