using Microsoft.Extensions.DependencyInjection;

namespace InfraDiff.Pipeline;

/// <summary>The collector registrations a container knows by name, so a builder can remove or replace them.</summary>
internal sealed class CollectorRegistry
{
    public Dictionary<string, ServiceDescriptor> ByName { get; } = new(StringComparer.Ordinal);
}
