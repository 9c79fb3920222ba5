using System.Globalization;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using InfraDiff.Redaction;

namespace InfraDiff.Sections.Docker;

/// <summary>
/// The <c>docker</c> section, through the Engine API: containers by name, images by ID, networks and volumes by
/// name. Nothing that moves by itself ("Up 3 minutes", IP addresses, PIDs) and no environment value.
/// </summary>
internal sealed class DockerCollector(DockerCollectorOptions options) : ICollector
{
    private readonly DockerCollectorOptions options = Validated(options);

    private static DockerCollectorOptions Validated(DockerCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private const string DefaultEndpoint = "unix:///var/run/docker.sock";

    public string Name => DockerSection.Instance.Name;


    public SectionDescriptor Section => DockerSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        using var client = await ConnectAsync(options.Host, options.Timeout, cancellationToken).ConfigureAwait(false);

        var fingerprinter = await EnvironmentFingerprinter.LoadAsync(options.KeyDirectory, cancellationToken).ConfigureAwait(false);
        var containers = new SortedDictionary<string, DockerContainer>(StringComparer.Ordinal);
        foreach (var summary in await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken).ConfigureAwait(false))
        {
            var inspect = await client.Containers.InspectContainerAsync(summary.ID, cancellationToken).ConfigureAwait(false);
            var name = inspect.Name.TrimStart('/');
            containers[name] = Describe(inspect, name, fingerprinter);
        }

        var images = new SortedDictionary<string, DockerImage>(StringComparer.Ordinal);
        foreach (var image in await client.Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken).ConfigureAwait(false))
        {
            images[image.ID] = new DockerImage(Sorted(image.RepoTags), Sorted(image.RepoDigests), new DateTimeOffset(image.Created.ToUniversalTime(), TimeSpan.Zero));
        }

        var networks = new SortedDictionary<string, DockerNetwork>(StringComparer.Ordinal);
        foreach (var network in await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken).ConfigureAwait(false))
        {
            var configs = network.IPAM?.Config ?? [];
            networks[network.Name] = new DockerNetwork(
                network.Driver,
                Sorted(configs.Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s))),
                Sorted(configs.Select(c => c.Gateway).Where(g => !string.IsNullOrEmpty(g))),
                network.Internal,
                Labels(network.Labels));
        }

        var volumes = new SortedDictionary<string, DockerVolume>(StringComparer.Ordinal);
        var volumeList = await client.Volumes.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var volume in volumeList.Volumes ?? [])
        {
            volumes[volume.Name] = new DockerVolume(volume.Driver, Labels(volume.Labels));
        }

        return new DockerModel(containers, images, networks, volumes);
    }

    /// <summary>
    /// A client of the engine at <paramref name="host"/> (else DOCKER_HOST, else the default socket) that answered a
    /// ping within <paramref name="timeout"/>; requests made with it are not limited further.
    /// </summary>
    /// <exception cref="CollectorUnavailableException">No engine answered; the message names the endpoint without credentials.</exception>
    /// <exception cref="InfraDiffException">The endpoint is not a URL.</exception>
    internal static async Task<DockerClient> ConnectAsync(string? host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = host ?? Environment.GetEnvironmentVariable("DOCKER_HOST");
        var shown = SecretRedactor.RedactUrls(endpoint ?? DefaultEndpoint);
        Uri? uri = null;
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out uri))
        {
            throw new InfraDiffException($"the Docker endpoint {shown} is not a URL (unix:///var/run/docker.sock, tcp://host:2376)");
        }

        var builder = new DockerClientBuilder().WithTimeout(Timeout.InfiniteTimeSpan);
        var client = (uri is null ? builder : builder.WithEndpoint(uri)).Build();
        using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ping.CancelAfter(timeout);
        try
        {
            await client.System.PingAsync(ping.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TimeoutException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            client.Dispose();
            var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message;
            throw new CollectorUnavailableException($"no Docker engine at {shown}: {reason}");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static DockerContainer Describe(ContainerInspectResponse inspect, string name, EnvironmentFingerprinter fingerprinter)
    {
        var config = inspect.Config;
        var host = inspect.HostConfig;
        var ports = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (port, bindings) in host?.PortBindings ?? new Dictionary<string, IList<PortBinding>>())
        {
            ports[port] = Sorted((bindings ?? []).Select(b => $"{(string.IsNullOrEmpty(b.HostIP) ? "0.0.0.0" : b.HostIP)}:{b.HostPort}"));
        }

        var mounts = new SortedDictionary<string, DockerMount>(StringComparer.Ordinal);
        foreach (var mount in inspect.Mounts ?? [])
        {
            mounts[mount.Destination] = new DockerMount(mount.Type ?? "", mount.Type == "volume" ? mount.Name : mount.Source, mount.RW ? "rw" : "ro");
        }

        // Docker adds the container's short ID as an alias on user-defined networks: it changes with every re-creation.
        var shortId = inspect.ID.Length >= 12 ? inspect.ID[..12] : inspect.ID;
        var networks = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (network, endpoint) in inspect.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
        {
            networks[network] = Sorted((endpoint?.Aliases ?? []).Where(a => a != shortId && a != inspect.ID));
        }

        var health = config?.Healthcheck is { Test.Count: > 0 } check
            ? new DockerHealthcheck(check.Test.Select(SecretRedactor.RedactCommand).ToList(), Duration(check.Interval), Duration(check.Timeout), check.Retries ?? 0, Duration(check.StartPeriod))
            : null;
        return new DockerContainer(
            config?.Image ?? "",
            inspect.Image,
            inspect.State?.Status ?? "unknown",
            host?.RestartPolicy is { } policy ? RestartPolicyText(policy) : null,
            config?.Cmd?.Select(SecretRedactor.RedactCommand).ToList(),
            config?.Entrypoint?.Select(SecretRedactor.RedactCommand).ToList(),
            ports,
            mounts,
            networks,
            Labels(config?.Labels),
            host?.Privileged ?? false,
            host?.CapAdd is { Count: > 0 } caps ? Sorted(caps) : null,
            string.IsNullOrEmpty(config?.User) ? null : config.User,
            health,
            fingerprinter.Fingerprint(name, config?.Env ?? []));
    }

    private static string RestartPolicyText(RestartPolicy policy)
    {
        var name = policy.Name.ToString().ToLowerInvariant() switch
        {
            "unlessstopped" => "unless-stopped",
            "onfailure" => "on-failure",
            "undefined" => "no",
            var other => other,
        };
        return name == "on-failure" && policy.MaximumRetryCount > 0 ? $"on-failure:{policy.MaximumRetryCount.ToString(CultureInfo.InvariantCulture)}" : name;
    }

    private static string? Duration(TimeSpan? duration) => duration is { Ticks: > 0 } d ? d.ToString("c", CultureInfo.InvariantCulture) : null;

    private static List<string> Sorted(IEnumerable<string>? values) => [.. (values ?? []).Order(StringComparer.Ordinal)];

    private static SortedDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        new(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
}

internal sealed record DockerModel(
    SortedDictionary<string, DockerContainer> Containers,
    SortedDictionary<string, DockerImage> Images,
    SortedDictionary<string, DockerNetwork> Networks,
    SortedDictionary<string, DockerVolume> Volumes);

/// <summary>A container's configuration and state; environment values appear only as keyed fingerprints.</summary>
internal sealed record DockerContainer(
    string Image,
    string ImageId,
    string State,
    string? RestartPolicy,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Entrypoint,
    SortedDictionary<string, IReadOnlyList<string>> Ports,
    SortedDictionary<string, DockerMount> Mounts,
    SortedDictionary<string, IReadOnlyList<string>> Networks,
    SortedDictionary<string, string> Labels,
    bool Privileged,
    IReadOnlyList<string>? CapAdd,
    string? User,
    DockerHealthcheck? Healthcheck,
    SortedDictionary<string, string?> Env);

internal sealed record DockerMount(string Type, string? Source, string Mode);

internal sealed record DockerHealthcheck(IReadOnlyList<string> Test, string? Interval, string? Timeout, long Retries, string? StartPeriod);

internal sealed record DockerImage(IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, DateTimeOffset Created);

internal sealed record DockerNetwork(string Driver, IReadOnlyList<string> Subnets, IReadOnlyList<string> Gateways, bool Internal, SortedDictionary<string, string> Labels);

internal sealed record DockerVolume(string Driver, SortedDictionary<string, string> Labels);
