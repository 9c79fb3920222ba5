using InfraDiff.Collectors.Config;
using InfraDiff.Collectors.Docker;
using InfraDiff.Collectors.Files;
using InfraDiff.Collectors.Network;
using InfraDiff.Collectors.Os;
using InfraDiff.Collectors.Packages;
using InfraDiff.Collectors.Scheduled;
using InfraDiff.Collectors.Services;
using InfraDiff.Collectors.Users;

namespace InfraDiff.Pipeline;

/// <summary>The collectors infradiff ships, in the order their sections are documented.</summary>
public static class BuiltInCollectors
{
    /// <summary>A new instance of every built-in collector.</summary>
    public static IReadOnlyList<ICollector> Create(OsCollectorOptions? os = null, FilesCollectorOptions? files = null, DockerCollectorOptions? docker = null) =>
    [
        new OsCollector(os ?? new OsCollectorOptions()),
        new PackagesCollector(),
        new ServicesCollector(),
        new UsersCollector(),
        new ScheduledCollector(),
        new ConfigCollector(),
        new NetworkCollector(),
        new DockerCollector(docker ?? new DockerCollectorOptions()),
        new FilesCollector(files ?? new FilesCollectorOptions()),
    ];
}
