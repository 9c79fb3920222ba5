// A .NET worker service that runs infradiff's watch loop as a hosted service: snapshot every five
// minutes, keep the snapshots in /var/lib/infradiff, and post drift to the webhook in WEBHOOK_URL.
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddInfraDiff();
builder.Services.AddSingleton(services =>
{
    var webhook = builder.Configuration["WEBHOOK_URL"];
    IAlertSink sink = webhook is null
        ? new FileAlertSink("-")
        : new WebhookAlertSink(new WebhookOptions { Url = new Uri(webhook), Secret = builder.Configuration["WEBHOOK_SECRET"] });
    var options = new DriftMonitorOptions
    {
        Directory = builder.Configuration["SNAPSHOT_DIR"] ?? "/var/lib/infradiff",
        Interval = TimeSpan.FromMinutes(5),
        Snapshot = new SnapshotOptions { Exclude = ["files"] },
    };
    return new DriftMonitor(services.GetRequiredService<Snapshotter>(), options, [sink], services.GetService<ILogger<DriftMonitor>>());
});
builder.Services.AddHostedService<DriftMonitorService>();
await builder.Build().RunAsync();

/// <summary>Runs the monitor until the host stops; the monitor itself never overlaps cycles and survives failed ones.</summary>
internal sealed class DriftMonitorService(DriftMonitor monitor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => monitor.RunAsync(stoppingToken);
}
