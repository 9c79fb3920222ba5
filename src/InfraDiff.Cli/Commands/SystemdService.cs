using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace InfraDiff.Cli.Commands;

/// <summary>
/// watch as a systemd service of Type=notify: READY=1 once the watcher is set up, WATCHDOG=1 every half of
/// WatchdogSec= while the process lives, STOPPING=1 on the way out. Nothing happens without NOTIFY_SOCKET.
/// </summary>
internal sealed class SystemdService : IDisposable
{
    private readonly SystemdNotifier notifier = new();
    private Timer? watchdog;

    public void Ready(string status)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        notifier.Notify(ServiceState.Ready);
        notifier.Notify(new ServiceState("STATUS=" + status));
        if (WatchdogInterval() is { } every)
        {
            watchdog = new Timer(_ => notifier.Notify(new ServiceState("WATCHDOG=1")), null, TimeSpan.Zero, every);
        }
    }

    public void Dispose()
    {
        watchdog?.Dispose();
        if (notifier.IsEnabled)
        {
            notifier.Notify(ServiceState.Stopping);
        }
    }

    /// <summary>Half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; none when it is unset or meant for another process (WATCHDOG_PID).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), CultureInfo.InvariantCulture, out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds / 2.0)
            : null;
    }
}
