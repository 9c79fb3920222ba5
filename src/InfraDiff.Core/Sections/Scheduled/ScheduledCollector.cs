using System.Security.Cryptography;
using InfraDiff.Host;

namespace InfraDiff.Sections.Scheduled;

/// <summary>
/// The <c>scheduled</c> section: system and per-user crontabs, the run-parts scripts in /etc/cron.{hourly,…}
/// with a SHA-256 each, and systemd timers with their [Timer] settings.
/// </summary>
internal sealed class ScheduledCollector : ICollector
{
    private static readonly string[] SystemCrontabDirectories = ["/etc/cron.d"];

    // Debian/Ubuntu, RHEL-family, and Alpine's busybox crond keep per-user crontabs in different places.
    private static readonly string[] UserCrontabDirectories = ["/var/spool/cron/crontabs", "/var/spool/cron", "/etc/crontabs"];

    private static readonly string[] ScriptDirectories = ["/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly", "/etc/cron.yearly"];

    // Highest precedence first, as systemd resolves a unit name.
    private static readonly string[] UnitDirectories = ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"];

    private static readonly string[] LeftoverSuffixes = [".dpkg-old", ".dpkg-dist", ".dpkg-new", ".rpmsave", ".rpmnew", ".rpmorig"];

    public string Name => ScheduledSection.Instance.Name;


    public SectionDescriptor Section => ScheduledSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var files = context.Files;
        var cron = new SortedDictionary<string, Crontab>(StringComparer.Ordinal);
        foreach (var path in SystemCrontabDirectories.SelectMany(files.ListFiles).Prepend("/etc/crontab"))
        {
            AddCrontab(context, cron, path, hasUserField: true);
        }

        foreach (var path in UserCrontabDirectories.SelectMany(files.ListFiles))
        {
            AddCrontab(context, cron, path, hasUserField: false);
        }

        var scripts = new SortedDictionary<string, CronScript>(StringComparer.Ordinal);
        foreach (var path in ScriptDirectories.SelectMany(files.ListFiles).Where(p => !IsLeftover(p)))
        {
            var part = "scripts/" + JsonPointer.Escape(path);
            try
            {
                using var handle = files.OpenFile(path);
                if (handle is null)
                {
                    continue;
                }

                var executable = (LinuxFile.ModeOf(handle) & 0x40) != 0;
                var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
                await using (stream.ConfigureAwait(false))
                {
                    var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
                    scripts[path] = new CronScript(Convert.ToHexStringLower(hash), executable);
                }
            }
            catch (HostFileException ex)
            {
                context.ReportFailed(part, ex.Message);
            }
            catch (UnauthorizedAccessException)
            {
                context.ReportUnavailable(part, $"{path} is not readable (run as root)");
            }
        }

        var timers = new SortedDictionary<string, SystemdTimer>(StringComparer.Ordinal);
        foreach (var path in UnitDirectories.SelectMany(files.ListFiles).Where(p => p.EndsWith(".timer", StringComparison.Ordinal)))
        {
            var name = Path.GetFileName(path);
            if (!timers.ContainsKey(name) && context.ReadTextOrReport(path, "timers/" + JsonPointer.Escape(name)) is { } text)
            {
                timers[name] = new SystemdTimer(path, UnitFileParser.ParseSection(text, "Timer"));
            }
        }

        return new ScheduledModel(cron, scripts, timers);
    }

    /// <summary>
    /// Hidden files (Debian's ".placeholder") and the backups editors and package managers leave behind are
    /// skipped, as cron and run-parts skip them.
    /// </summary>
    private static bool IsLeftover(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith('.') || name.EndsWith('~')
            || LeftoverSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
    }

    private static void AddCrontab(CollectionContext context, SortedDictionary<string, Crontab> cron, string path, bool hasUserField)
    {
        if (IsLeftover(path))
        {
            return;
        }

        if (context.ReadTextOrReport(path, "cron/" + JsonPointer.Escape(path)) is { } text)
        {
            cron[path] = CrontabParser.Parse(text, hasUserField);
        }
    }
}

internal sealed record ScheduledModel(
    SortedDictionary<string, Crontab> Cron,
    SortedDictionary<string, CronScript> Scripts,
    SortedDictionary<string, SystemdTimer> Timers);

internal sealed record CronScript(string Sha256, bool Executable);

internal sealed record SystemdTimer(string Path, SortedDictionary<string, IReadOnlyList<string>> Settings);
