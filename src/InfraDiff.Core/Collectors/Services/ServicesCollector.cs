using InfraDiff.Execution;
using InfraDiff.Pipeline;

namespace InfraDiff.Collectors.Services;

/// <summary>
/// The <c>services</c> section: systemd units keyed by name, with unit-file state (from disk, works without a
/// running systemd) and, where systemd is PID 1, runtime state.
/// </summary>
internal sealed class ServicesCollector : ICollector
{
    // Runtime-only units of these types are configuration; scopes, slices, devices and mounts come and go with sessions and hardware.
    private static readonly string[] RuntimeTypes = [".service", ".socket", ".timer", ".path", ".target"];

    // Per-login instances appear and vanish as users log in and out: not drift.
    private static readonly string[] SessionInstancePrefixes = ["user@", "user-runtime-dir@"];

    public string Name => "services";

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["list-unit-files", "--no-pager", "--no-legend", "--full"];
        if (!context.IsLiveHost)
        {
            arguments.Insert(0, "--root=" + context.Files.Root);
        }

        var unitFiles = await context.Commands.RunAsync("systemctl", arguments, cancellationToken).ConfigureAwait(false);
        // systemctl exits 1 when it lists no unit files at all.
        if (unitFiles.ExitCode != 0 && (unitFiles.StandardOutput.Length > 0 || unitFiles.StandardError.Trim().Length > 0))
        {
            throw new CommandFailedException("systemctl " + string.Join(' ', arguments), unitFiles.ExitCode, unitFiles.StandardError);
        }

        var files = SystemctlParser.ParseUnitFiles(unitFiles.StandardOutput);
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
            // Typically "System has not been booted with systemd as init system (PID 1)": containers, chroots.
            var reason = result.StandardError.Trim().Split('\n')[0];
            context.ReportUnavailable("runtime", reason.Length > 0 ? reason : $"systemctl list-units exited with code {result.ExitCode}");
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

    private static bool IsConfiguration(string unit) =>
        RuntimeTypes.Any(t => unit.EndsWith(t, StringComparison.Ordinal))
        && !SessionInstancePrefixes.Any(p => unit.StartsWith(p, StringComparison.Ordinal));
}

/// <summary>A unit as it appears in the <c>services</c> section; runtime fields are absent where runtime state is unavailable.</summary>
internal sealed record ServiceUnit(string? UnitFile, string? Preset, string? Load, string? Active, string? Sub);
