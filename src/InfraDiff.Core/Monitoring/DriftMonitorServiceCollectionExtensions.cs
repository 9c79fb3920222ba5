using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the watch loop: a <see cref="DriftMonitor"/> and the hosted service that runs it.</summary>
public static class DriftMonitorServiceCollectionExtensions
{
    /// <summary>
    /// Adds infradiff (if not yet added), a <see cref="DriftMonitor"/> configured through the options pattern
    /// (<see cref="DriftMonitorOptions"/>, validated at start), delivering to every registered <see cref="IAlertSink"/>,
    /// and a <see cref="DriftMonitorService"/> that runs it under the host.
    /// </summary>
    public static IServiceCollection AddDriftMonitor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddInfraDiff();
        services.AddValidatedOptions<DriftMonitorOptions>();
        services.TryAddSingleton(provider => new DriftMonitor(
            provider.GetRequiredService<Snapshotter>(),
            provider.GetRequiredService<IOptions<DriftMonitorOptions>>().Value,
            provider.GetServices<IAlertSink>(),
            provider.GetService<ILogger<DriftMonitor>>(),
            provider.GetService<TimeProvider>()));
        services.AddHostedService<DriftMonitorService>();
        return services;
    }

    /// <summary><see cref="AddDriftMonitor(IServiceCollection)"/>, with the options set by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddDriftMonitor(this IServiceCollection services, Action<DriftMonitorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddDriftMonitor();
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// <see cref="AddDriftMonitor(IServiceCollection)"/>, with the options bound from
    /// <paramref name="configuration"/> (Directory, Interval as "00:05:00", Against, Keep, …; Snapshot:Exclude, …).
    /// </summary>
    public static IServiceCollection AddDriftMonitor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDriftMonitor();
        services.BindSection<DriftMonitorOptions>(configuration);
        return services;
    }
}
