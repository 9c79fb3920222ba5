using InfraDiff.Execution;
using InfraDiff.Pipeline;
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
