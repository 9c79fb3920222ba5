using InfraDiff.Host;
using InfraDiff.Validation;

namespace InfraDiff.Sections.Docker;

/// <summary>Which Docker engine the <c>docker</c> collector asks, and where its fingerprint key lives.</summary>
public sealed record DockerCollectorOptions : IValidatedOptions
{
    /// <summary>The engine endpoint (unix:///var/run/docker.sock, tcp://host:2376); null: DOCKER_HOST, the current docker context, else the default socket.</summary>
    public string? Host { get; set; }

    /// <summary>The folder holding the per-installation key that fingerprints environment values (shared with the file hash cache).</summary>
    public string KeyDirectory { get; set; } = CacheDirectory.Default();

    /// <summary>How long to wait for the engine: a missing engine must not hold a snapshot up.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long exporting an image (<see cref="ContainerImageRoot"/>) may take, from creating its container to the
    /// last file unpacked: an engine whose export stalls fails the snapshot instead of holding it for ever. Default: 10 minutes.
    /// </summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            Host is not null && (!Uri.TryCreate(Host, UriKind.Absolute, out var host) || host.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe")) ? new InvalidOptionException("DockerCollectorOptions.Host", $"must be an engine endpoint such as unix:///var/run/docker.sock or tcp://host:2376 (was '{Excerpt.Cut(Host)}')") : null,
            OptionChecks.NotEmpty("DockerCollectorOptions.KeyDirectory", KeyDirectory),
            OptionChecks.Positive("DockerCollectorOptions.Timeout", Timeout),
            OptionChecks.Positive("DockerCollectorOptions.ExportTimeout", ExportTimeout),
        }.OfType<InvalidOptionException>();
}
