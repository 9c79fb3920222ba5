// A custom collector adds its own section to the snapshot, with its own meaning: how its changes are named, how severe
// they are, and which part it may fail to read. Its changes are then summarized and ranked like a built-in section's,
// in every report format. Here: the kernel command line, as configured for the next boot (/etc/default/grub) and as
// the running kernel was booted (/proc/cmdline), keyed by parameter.
//
//   dotnet run --project samples/CustomCollector                      the live host's section, as JSON
//   dotnet run --project samples/CustomCollector -- ROOT_A ROOT_B    what changed from one root to the other, as text
using InfraDiff;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;
using InfraDiff.Sections;
using InfraDiff.Snapshots;

var collector = new KernelCommandLineCollector();
var snapshotter = new Snapshotter([collector]);
await using var stdout = Console.OpenStandardOutput();
if (args.Length == 2)
{
    var before = await snapshotter.TakeAsync(new SnapshotOptions { Root = args[0] });
    var after = await snapshotter.TakeAsync(new SnapshotOptions { Root = args[1] });
    var report = SnapshotDiffer.Compare(before, after, new DriftRules { Sections = snapshotter.Sections });
    await ReportFormats.Get("text").WriteAsync(DriftAlert.Of(report), stdout, ReportFormatOptions.Default);
    return report.HasDrift ? 1 : 0;
}

await stdout.WriteAsync(SnapshotJson.ToCanonicalBytes(await snapshotter.TakeAsync(new SnapshotOptions())));
return 0;

/// <summary>
/// The <c>kernelCmdline</c> section: each kernel parameter with the value configured for the next boot and the one the
/// running kernel was given ("quiet": {"configured": "", "running": ""}). The running values are a part of their own:
/// under a root that is not the live host there is no running kernel to read, and they are not compared.
/// </summary>
public sealed class KernelCommandLineCollector : ICollector
{
    public string Name => Section.Name;

    /// <summary>What the section means: parameters named as such, init= critical (it chooses what runs as PID 1), security switches high.</summary>
    public SectionDescriptor Section { get; } = new("kernelCmdline")
    {
        Nouns = [new("", "kernel parameter")],
        SeverityRules =
        [
            new SeverityRule("/kernelCmdline/init", Severity.Critical),
            new SeverityRule("/kernelCmdline/*", Severity.High) { When = ["path =~ ^/kernelCmdline/(apparmor|selinux|security|lockdown|module.sig_enforce|mitigations)(/|$)"] },
            new SeverityRule("/kernelCmdline", Severity.Medium),
        ],
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["running"] = ["/kernelCmdline/*/running"], ["configured"] = ["/kernelCmdline/*/configured"] },
    };

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var parameters = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        void Add(string line, string origin)
        {
            foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? word : word[..equals];
                if (!parameters.TryGetValue(name, out var values))
                {
                    parameters[name] = values = new(StringComparer.Ordinal);
                }

                values[origin] = equals < 0 ? "" : word[(equals + 1)..];
            }
        }

        var grub = context.ReadTextOrReport("/etc/default/grub", "configured") ?? "";
        foreach (var line in grub.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("GRUB_CMDLINE_LINUX", StringComparison.Ordinal) && l.Contains('=')))
        {
            Add(line[(line.IndexOf('=') + 1)..].Trim('"', '\''), "configured");
        }

        if (context.Kernel is { } kernel)
        {
            Add(kernel.ReadTextOrNull("/proc/cmdline") ?? "", "running");
        }
        else
        {
            context.ReportUnavailable("running", "the running kernel is not this root's (an image, a mounted disk)");
        }

        return Task.FromResult<object>(parameters);
    }
}
