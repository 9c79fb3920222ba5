using InfraDiff.Sections;
using Microsoft.Extensions.DependencyInjection;

namespace InfraDiff.Pipeline;

/// <summary>
/// Adds, replaces and removes the collectors of an infradiff registration. Collectors are known by name (their
/// <see cref="ICollector.Name"/>, the built-ins' are in <see cref="BuiltInSections.Names"/>); two with one name stop
/// the <see cref="Snapshotter"/> from being built, with a message naming both, rather than one silently winning.
/// </summary>
public sealed class InfraDiffBuilder
{
    private readonly CollectorRegistry registry;

    internal InfraDiffBuilder(IServiceCollection services, CollectorRegistry registry)
    {
        Services = services;
        this.registry = registry;
    }

    /// <summary>The container being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a collector type, created by the container (its constructor's parameters resolved from it).</summary>
    public InfraDiffBuilder AddCollector<TCollector>()
        where TCollector : class, ICollector
    {
        Services.AddSingleton<ICollector, TCollector>();
        return this;
    }

    /// <summary>Adds a collector instance.</summary>
    /// <exception cref="ArgumentException">A collector of that name is already registered (replace it with <see cref="ReplaceCollector(string, ICollector)"/>).</exception>
    public InfraDiffBuilder AddCollector(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        if (registry.ByName.ContainsKey(collector.Name))
        {
            throw new ArgumentException($"a collector named '{collector.Name}' is already registered: replace it with ReplaceCollector", nameof(collector));
        }

        Register(collector.Name, ServiceDescriptor.Singleton(collector));
        return this;
    }

    /// <summary>Removes the collector named <paramref name="name"/> (a built-in, or one added as an instance), so its section is never collected.</summary>
    /// <exception cref="ArgumentException">No collector of that name was registered by name.</exception>
    public InfraDiffBuilder RemoveCollector(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!registry.ByName.Remove(name, out var descriptor))
        {
            throw new ArgumentException($"no collector named '{name}' is registered (known: {string.Join(", ", registry.ByName.Keys.Order(StringComparer.Ordinal))})", nameof(name));
        }

        Services.Remove(descriptor);
        return this;
    }

    /// <summary>Puts <paramref name="collector"/> in the place of the collector named <paramref name="name"/> (which writes the section of that name).</summary>
    /// <exception cref="ArgumentException">The collector is not named <paramref name="name"/>, or no collector of that name is registered.</exception>
    public InfraDiffBuilder ReplaceCollector(string name, ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        if (collector.Name != name)
        {
            throw new ArgumentException($"the collector replacing '{name}' is named '{collector.Name}'", nameof(collector));
        }

        RemoveCollector(name);
        Register(name, ServiceDescriptor.Singleton(collector));
        return this;
    }

    /// <summary>Puts a collector type, created by the container, in the place of the collector named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No collector of that name is registered.</exception>
    public InfraDiffBuilder ReplaceCollector<TCollector>(string name)
        where TCollector : class, ICollector
    {
        RemoveCollector(name);
        Register(name, ServiceDescriptor.Singleton<ICollector, TCollector>());
        return this;
    }

    private void Register(string name, ServiceDescriptor descriptor)
    {
        var typed = descriptor.ServiceType == typeof(ICollector) ? descriptor
            : ServiceDescriptor.Singleton(typeof(ICollector), descriptor.ImplementationInstance!);
        Services.Add(typed);
        registry.ByName[name] = typed;
    }
}
