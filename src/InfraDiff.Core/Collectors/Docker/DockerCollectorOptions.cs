namespace InfraDiff.Collectors.Docker;

/// <summary>Which Docker engine the <c>docker</c> collector asks, and where its fingerprint key lives.</summary>
public sealed record DockerCollectorOptions
{
    /// <summary>The engine endpoint (unix:///var/run/docker.sock, tcp://host:2376); null: DOCKER_HOST, the current docker context, else the default socket.</summary>
    public string? Host { get; init; }

    /// <summary>The folder holding the per-installation key that fingerprints environment values (shared with the file hash cache).</summary>
    public string KeyDirectory { get; init; } = Files.FilesCollectorOptions.DefaultCacheDirectory();

    /// <summary>How long to wait for the engine: a missing engine must not hold a snapshot up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
