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

/// <summary>The collectors infradiff ships, in the order their sections are documented.</summary>
public static class BuiltInCollectors
{
    /// <summary>Their names (and so their sections): os, packages, services, users, scheduled, config, network, docker, files.</summary>
    public static IReadOnlyList<string> Names { get; } = ["os", "packages", "services", "users", "scheduled", "config", "network", "docker", "files"];

    /// <summary>A new instance of every built-in collector.</summary>
    /// <exception cref="InvalidOptionException">An option is invalid.</exception>
    public static IReadOnlyList<ICollector> Create(OsCollectorOptions? os = null, FilesCollectorOptions? files = null, DockerCollectorOptions? docker = null) =>
        [.. Names.Select(name => Create(name, os, files, docker))];

    /// <summary>The built-in collector named <paramref name="name"/>, with the options that concern it.</summary>
    internal static ICollector Create(string name, OsCollectorOptions? os, FilesCollectorOptions? files, DockerCollectorOptions? docker) => name switch
    {
        "os" => new OsCollector(os ?? new OsCollectorOptions()),
        "packages" => new PackagesCollector(),
        "services" => new ServicesCollector(),
        "users" => new UsersCollector(),
        "scheduled" => new ScheduledCollector(),
        "config" => new ConfigCollector(),
        "network" => new NetworkCollector(),
        "docker" => new DockerCollector(docker ?? new DockerCollectorOptions()),
        "files" => new FilesCollector(files ?? new FilesCollectorOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a built-in collector"),
    };
}
