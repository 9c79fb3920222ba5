// A .NET worker service that runs infradiff's watch loop under the host (and under systemd, Type=notify): a snapshot
// every Monitor:Interval, kept in Monitor:Directory, drift posted to the webhook in Webhook:Url. Everything is read
// from appsettings.json, the environment (Monitor__Directory=/var/lib/infradiff) or the command line, and validated
// at start.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSystemd();
builder.Services.AddInfraDiff(builder.Configuration.GetSection("InfraDiff"));
builder.Services.AddDriftMonitor(builder.Configuration.GetSection("Monitor"));
if (builder.Configuration.GetSection("Webhook").Exists())
{
    builder.Services.AddWebhookAlertSink("main", builder.Configuration.GetSection("Webhook"));
}

await builder.Build().RunAsync();
