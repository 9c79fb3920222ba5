// A custom collector adds its own section to the snapshot, and diffs like any built-in one:
// here, the kernel's boot command line, keyed by parameter.
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Snapshots;

var snapshotter = new Snapshotter([.. BuiltInSections.CreateCollectors(), new KernelCommandLineCollector()]);
var snapshot = await snapshotter.TakeAsync(new SnapshotOptions { Only = ["os", "kernelCmdline"] });
await using var stdout = Console.OpenStandardOutput();
await stdout.WriteAsync(SnapshotJson.ToCanonicalBytes(snapshot));

/// <summary>The <c>kernelCmdline</c> section: /proc/cmdline's parameters, keyed by name ("quiet": "", "root": "/dev/vda1").</summary>
internal sealed class KernelCommandLineCollector : ICollector
{
    public string Name => "kernelCmdline";

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var text = context.Files.ReadTextOrNull("/proc/cmdline") ?? throw new CollectorUnavailableException("no /proc/cmdline under the root");
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            parameters[equals < 0 ? word : word[..equals]] = equals < 0 ? "" : word[(equals + 1)..];
        }

        return Task.FromResult<object>(parameters);
    }
}
