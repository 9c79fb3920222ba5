using Microsoft.Extensions.Hosting;

namespace InfraDiff.Monitoring;

/// <summary>Runs a <see cref="DriftMonitor"/> for as long as the host runs: cycles never overlap, a failed one is logged and the next runs.</summary>
public sealed class DriftMonitorService(DriftMonitor monitor) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => monitor.RunAsync(stoppingToken);
}
