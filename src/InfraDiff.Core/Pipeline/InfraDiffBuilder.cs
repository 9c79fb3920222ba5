using InfraDiff.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

// The Microsoft.Extensions convention: registration methods live in the DI namespace so they are found without a using.
namespace Microsoft.Extensions.DependencyInjection;

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
