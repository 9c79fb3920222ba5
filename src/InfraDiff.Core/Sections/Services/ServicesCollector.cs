namespace InfraDiff.Sections.Services;

/// <summary>
/// The <c>services</c> section: systemd units keyed by name, with unit-file state and vendor preset (read from the unit
/// directories, works without a running systemd or a systemctl) and, where systemd is PID 1, runtime state from systemctl.
/// </summary>
internal sealed class ServicesCollector : ICollector
{
    // Runtime-only units of these types are configuration; scopes, slices, devices and mounts come and go with sessions and hardware.
    private static readonly string[] RuntimeTypes = [".service", ".socket", ".timer", ".path", ".target"];

    // Per-login instances appear and vanish as users log in and out: not drift.
    private static readonly string[] SessionInstancePrefixes = ["user@", "user-runtime-dir@"];

    public string Name => ServicesSection.Instance.Name;


    public SectionDescriptor Section => ServicesSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        // The unit directories are read as systemctl list-unit-files reads them (UnitFiles), at a fraction of its cost.
        var files = UnitFiles.Read(context.Files) ?? throw new CollectorUnavailableException("no systemd unit directories under the root");
        var runtime = await ReadRuntimeAsync(context, cancellationToken).ConfigureAwait(false);

        var section = new SortedDictionary<string, ServiceUnit>(StringComparer.Ordinal);
        foreach (var (name, file) in files)
        {
            var state = runtime?.GetValueOrDefault(name);
            section[name] = new ServiceUnit(file.State, file.Preset, state?.Load, state?.Active, state?.Sub);
        }

        foreach (var (name, state) in runtime ?? [])
        {
            if (!section.ContainsKey(name) && IsConfiguration(name))
            {
                section[name] = new ServiceUnit(null, null, state.Load, state.Active, state.Sub);
            }
        }

        return section;
    }

    private static async Task<SortedDictionary<string, UnitRuntimeState>?> ReadRuntimeAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        if (!context.IsLiveHost)
        {
            context.ReportUnavailable("runtime", "runtime state belongs to a running system, not to the files under a root directory");
            return null;
        }

        var result = await context.Commands.RunAsync(
            "systemctl",
            ["list-units", "--all", "--no-pager", "--no-legend", "--plain", "--full"],
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // sd_booted(3): systemd runs when /run/systemd/system is a folder. Without it (a container, a chroot) there is
            // no runtime state to read; with it, a systemctl that fails is a fault.
            var reason = result.StandardError.Trim().Split('\n')[0];
            if (!Directory.Exists(BootedMarker))
            {
                context.ReportUnavailable("runtime", $"systemd is not running on this host (no {BootedMarker})");
            }
            else
            {
                context.ReportFailed("runtime", $"systemctl list-units exited with code {result.ExitCode}{(reason.Length > 0 ? $": {reason}" : "")}");
            }

            return null;
        }

        try
        {
            return SystemctlParser.ParseUnits(result.StandardOutput);
        }
        catch (FormatException ex)
        {
            context.ReportFailed("runtime", $"systemctl printed what infradiff cannot read: {ex.Message}");
            return null;
        }
    }

    private const string BootedMarker = "/run/systemd/system";

    private static bool IsConfiguration(string unit) =>
        RuntimeTypes.Any(t => unit.EndsWith(t, StringComparison.Ordinal))
        && !SessionInstancePrefixes.Any(p => unit.StartsWith(p, StringComparison.Ordinal));
}

/// <summary>A unit as it appears in the <c>services</c> section; runtime fields are absent where runtime state is unavailable.</summary>
internal sealed record ServiceUnit(string? UnitFile, string? Preset, string? Load, string? Active, string? Sub);
