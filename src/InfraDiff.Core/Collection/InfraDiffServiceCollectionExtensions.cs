using InfraDiff.Collection;
using InfraDiff.Execution;
using Microsoft.Extensions.DependencyInjection.Extensions;

// The Microsoft.Extensions convention: registration methods live in the DI namespace so they are found without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers infradiff in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class InfraDiffServiceCollectionExtensions
{
    /// <summary>Adds the snapshotter, the local command runner and the built-in collectors; <paramref name="configure"/> adds more. Safe to call twice.</summary>
    public static IServiceCollection AddInfraDiff(this IServiceCollection services, Action<InfraDiffBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ICommandRunner>(LocalCommandRunner.Instance);
        services.TryAddSingleton<Snapshotter>();
        var builder = new InfraDiffBuilder(services);
        foreach (var collector in BuiltInCollectors.Create())
        {
            builder.AddCollector(collector);
        }

        configure?.Invoke(builder);
        return services;
    }
}

/// <summary>Adds collectors to an infradiff registration.</summary>
public sealed class InfraDiffBuilder(IServiceCollection services)
{
    /// <summary>The container being configured.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Adds a collector type, created by the container; adding the same type twice is harmless.</summary>
    public InfraDiffBuilder AddCollector<TCollector>()
        where TCollector : class, ICollector
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ICollector, TCollector>());
        return this;
    }

    /// <summary>Adds a collector instance; adding a second instance of the same type is harmless.</summary>
    public InfraDiffBuilder AddCollector(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(ICollector), collector));
        return this;
    }
}
