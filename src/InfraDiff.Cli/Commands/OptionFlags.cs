namespace InfraDiff.Cli.Commands;

/// <summary>Core names an invalid option by its type and property; the command line says which flag set it.</summary>
internal static class OptionFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["SnapshotOptions.Root"] = "--root",
        ["SnapshotOptions.LiveKernel"] = "--host-kernel",
        ["SnapshotOptions.CollectorTimeout"] = "--collector-timeout",
        ["SnapshotOptions.CollectorTimeouts[files]"] = "--files-timeout",
        ["FilesCollectorOptions.Roots"] = "--files",
        ["FilesCollectorOptions.Excludes"] = "--files-exclude",
        ["FilesCollectorOptions.CacheDirectory"] = "--cache-dir",
        ["DockerCollectorOptions.Host"] = "--docker-host",
        ["WebhookOptions.Url"] = "--webhook",
        ["EmailOptions.SmtpHost"] = "--smtp",
        ["EmailOptions.To"] = "--email-to",
        ["EmailOptions.From"] = "--email-from",
        ["DriftMonitorOptions.Directory"] = "--dir",
        ["DriftMonitorOptions.Interval"] = "--interval",
        ["DriftMonitorOptions.RepeatAfter"] = "--repeat-after",
        ["DriftMonitorOptions.Keep"] = "--keep",
        ["DriftMonitorOptions.KeepReports"] = "--keep-reports",
        ["DriftMonitorOptions.Heartbeat"] = "--heartbeat",
        ["FleetOptions.StoreDirectory"] = "--store",
        ["FleetOptions.ToolDirectory"] = "--tools",
        ["FleetOptions.Forks"] = "--forks",
        ["FleetOptions.ConnectTimeout"] = "--connect-timeout",
        ["FleetOptions.HostTimeout"] = "--host-timeout",
    };

    /// <summary>The line an error gets: an invalid option under the flag that set it, anything else as Core said it.</summary>
    public static string Message(Exception exception) => exception switch
    {
        InvalidOptionException invalid when Flags.TryGetValue(invalid.Option, out var flag) => $"{flag} {invalid.Problem}",
        InfraDiffException => exception.Message,
        _ => $"unexpected error: {exception.Message}",
    };
}
