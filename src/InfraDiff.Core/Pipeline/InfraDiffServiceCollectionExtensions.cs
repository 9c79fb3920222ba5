using InfraDiff.Configuration;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Sections.Docker;
using InfraDiff.Sections.Files;
using InfraDiff.Sections.Os;
using InfraDiff.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// The Microsoft.Extensions convention: registration methods live in the DI namespace so they are found without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers infradiff in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class InfraDiffServiceCollectionExtensions
{
    /// <summary>
    /// Adds the snapshotter, the local command runner and the built-in collectors, each built-in configured through the
    /// options pattern (<c>services.Configure&lt;FilesCollectorOptions&gt;(…)</c>) and validated when first resolved (at
    /// start under a host). Returns a builder to add, replace or remove collectors. Safe to call twice.
    /// </summary>
    public static InfraDiffBuilder AddInfraDiff(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(CollectorRegistry))?.ImplementationInstance as CollectorRegistry;
        if (registry is null)
        {
            registry = new CollectorRegistry();
            services.AddSingleton(registry);
            services.TryAddSingleton<ICommandRunner>(LocalCommandRunner.Instance);
            services.TryAddSingleton<Snapshotter>();
            services.AddValidatedOptions<OsCollectorOptions>();
            services.AddValidatedOptions<FilesCollectorOptions>();
            services.AddValidatedOptions<DockerCollectorOptions>();
            foreach (var name in BuiltInSections.Names)
            {
                var descriptor = ServiceDescriptor.Singleton<ICollector>(provider => BuiltInSections.CreateCollector(
                    name,
                    provider.GetRequiredService<IOptions<OsCollectorOptions>>().Value,
                    provider.GetRequiredService<IOptions<FilesCollectorOptions>>().Value,
                    provider.GetRequiredService<IOptions<DockerCollectorOptions>>().Value));
                services.Add(descriptor);
                registry.ByName[name] = descriptor;
            }
        }

        return new InfraDiffBuilder(services, registry);
    }

    /// <summary>
    /// <see cref="AddInfraDiff(IServiceCollection)"/>, with the built-in collectors' options bound
    /// from <paramref name="configuration"/>'s sections <c>Os</c>, <c>Files</c> and <c>Docker</c> (a list given there
    /// replaces the default list).
    /// </summary>
    public static InfraDiffBuilder AddInfraDiff(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddInfraDiff();
        services.BindSection<OsCollectorOptions>(configuration.GetSection("Os"));
        services.BindSection<FilesCollectorOptions>(configuration.GetSection("Files"));
        services.BindSection<DockerCollectorOptions>(configuration.GetSection("Docker"));
        return builder;
    }

    /// <summary>Registers <typeparamref name="TOptions"/> with the validation its type defines, checked at start under a host.</summary>
    internal static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string? name = null)
        where TOptions : class, IValidatedOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, InfraDiffOptionsValidator<TOptions>>());
        return services.AddOptions<TOptions>(name ?? Options.Options.DefaultName).ValidateOnStart();
    }

    /// <summary>
    /// Binds a section with infradiff's grammar (<see cref="OptionsBinder"/>): a duration as "5m" or "00:05:00", a list
    /// given there replacing the default list rather than being appended to it ("Roots": ["/srv"] scans /srv only).
    /// </summary>
    internal static void BindSection<TOptions>(this IServiceCollection services, IConfiguration section, string? name = null)
        where TOptions : class =>
        services.AddOptions<TOptions>(name ?? Options.Options.DefaultName).Configure(options => OptionsBinder.Bind(section, options));
}
