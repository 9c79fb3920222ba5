using InfraDiff.Alerting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers alert sinks for a <see cref="InfraDiff.Monitoring.DriftMonitor"/>.</summary>
public static class AlertingServiceCollectionExtensions
{
    /// <summary>The prefix of the named HTTP client each webhook sink posts through: "infradiff-webhook-" and the sink's name.</summary>
    public const string HttpClientNamePrefix = "infradiff-webhook-";

    /// <summary>
    /// Adds a webhook sink named <paramref name="name"/>, configured through named <see cref="WebhookOptions"/> (validated at
    /// start), posting through the <see cref="IHttpClientFactory"/> client <c>infradiff-webhook-NAME</c>. Returns that
    /// client's builder, to add handlers: a proxy, a client certificate, <c>AddStandardResilienceHandler()</c>.
    /// </summary>
    public static IHttpClientBuilder AddWebhookAlertSink(this IServiceCollection services, string name, Action<WebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddValidatedOptions<WebhookOptions>(name).Configure(configure);
        return AddSink(services, name);
    }

    /// <summary>Adds a webhook sink named <paramref name="name"/> with its options bound from <paramref name="configuration"/> (Url, Format, Secret, MaxAttempts, …).</summary>
    public static IHttpClientBuilder AddWebhookAlertSink(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<WebhookOptions>(name);
        services.BindSection<WebhookOptions>(configuration, name);
        return AddSink(services, name);
    }

    private static IHttpClientBuilder AddSink(IServiceCollection services, string name)
    {
        var clientName = HttpClientNamePrefix + name;
        services.AddSingleton<IAlertSink>(provider => new WebhookAlertSink(
            provider.GetRequiredService<IOptionsMonitor<WebhookOptions>>().Get(name),
            provider.GetService<ILogger<WebhookAlertSink>>(),
            provider.GetService<TimeProvider>(),
            provider.GetRequiredService<IHttpClientFactory>(),
            clientName));
        return services.AddHttpClient(clientName);
    }
}
