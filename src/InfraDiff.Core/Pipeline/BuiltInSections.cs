using InfraDiff.Sections;
using InfraDiff.Sections.Config;
using InfraDiff.Sections.Docker;
using InfraDiff.Sections.Files;
using InfraDiff.Sections.Network;
using InfraDiff.Sections.Os;
using InfraDiff.Sections.Packages;
using InfraDiff.Sections.Scheduled;
using InfraDiff.Sections.Services;
using InfraDiff.Sections.Users;

namespace InfraDiff.Pipeline;

/// <summary>The sections infradiff ships, in the order they are documented: what each means, and its collector.</summary>
public static class BuiltInSections
{
    // Adding a section: its folder under Sections/, and one line here.
    private static readonly (SectionDescriptor Section, Func<Settings, ICollector> Create)[] Table =
    [
        (OsSection.Instance, s => new OsCollector(s.Os ?? new OsCollectorOptions())),
        (PackagesSection.Instance, _ => new PackagesCollector()),
        (ServicesSection.Instance, _ => new ServicesCollector()),
        (UsersSection.Instance, _ => new UsersCollector()),
        (ScheduledSection.Instance, _ => new ScheduledCollector()),
        (ConfigSection.Instance, _ => new ConfigCollector()),
        (NetworkSection.Instance, _ => new NetworkCollector()),
        (DockerSection.Instance, s => new DockerCollector(s.Docker ?? new DockerCollectorOptions())),
        (FilesSection.Instance, s => new FilesCollector(s.Files ?? new FilesCollectorOptions())),
    ];

    /// <summary>Their names: os, packages, services, users, scheduled, config, network, docker, files.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Section.Name)];

    /// <summary>What each built-in section means, in the same order.</summary>
    public static IReadOnlyList<SectionDescriptor> Descriptors { get; } = [.. Table.Select(t => t.Section)];

    /// <summary>A new instance of every built-in collector.</summary>
    /// <exception cref="InvalidOptionException">An option is invalid.</exception>
    public static IReadOnlyList<ICollector> CreateCollectors(OsCollectorOptions? os = null, FilesCollectorOptions? files = null, DockerCollectorOptions? docker = null) =>
        [.. Table.Select(t => t.Create(new Settings(os, files, docker)))];

    /// <summary>The built-in collector named <paramref name="name"/>, with the options that concern it.</summary>
    internal static ICollector CreateCollector(string name, OsCollectorOptions? os, FilesCollectorOptions? files, DockerCollectorOptions? docker) =>
        Table.FirstOrDefault(t => t.Section.Name == name).Create?.Invoke(new Settings(os, files, docker))
        ?? throw new ArgumentOutOfRangeException(nameof(name), name, "not a built-in section");

    private sealed record Settings(OsCollectorOptions? Os, FilesCollectorOptions? Files, DockerCollectorOptions? Docker);
}
