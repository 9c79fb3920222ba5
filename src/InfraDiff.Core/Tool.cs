using System.Reflection;

namespace InfraDiff;

/// <summary>This build of infradiff, as snapshots, alerts and meters name it.</summary>
internal static class Tool
{
    /// <summary>"0.2.0".</summary>
    public static string Version { get; } = typeof(Tool).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>"infradiff 0.2.0".</summary>
    public static string Name { get; } = "infradiff " + Version;
}
