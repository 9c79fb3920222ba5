using System.Diagnostics;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Snapshots;

namespace InfraDiff.IntegrationTests.Network;

/// <summary>
/// A real network namespace of the test's own (ip netns add), with a veth pair and a bridge inside it,
/// removed when the test ends, whether it passed or not. Its runner runs every command inside it.
/// </summary>
internal sealed class NetworkNamespace : IDisposable, ICommandRunner
{
    private readonly List<Process> processes = [];

    public NetworkNamespace()
    {
        Name = "idt" + Guid.NewGuid().ToString("N")[..10];
        Run("ip", "netns", "add", Name);
        Exec("ip", "link", "set", "lo", "up");
        Exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Exec("ip", "addr", "add", "10.200.0.1/24", "dev", "v0");
        Exec("ip", "link", "set", "v0", "up");
        Exec("ip", "link", "set", "v1", "up");
        Exec("ip", "link", "add", "br0", "type", "bridge");
    }

    public string Name { get; }

    /// <summary>Runs a command inside the namespace and fails the test if it fails.</summary>
    public void Exec(params string[] command) => Run(["ip", "netns", "exec", Name, .. command]);

    /// <summary>Starts a long-running program inside the namespace (a listener); it is killed on dispose.</summary>
    public void Start(params string[] command)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "netns", "exec", Name }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        processes.Add(Process.Start(start)!);
    }

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        LocalCommandRunner.Instance.RunAsync("ip", ["netns", "exec", Name, program, .. arguments], cancellationToken);

    public async Task<Snapshot> SnapshotAsync() =>
        await new Snapshotter(BuiltInSections.CreateCollectors(), this).TakeAsync(new SnapshotOptions { Only = ["network"] });

    public static IReadOnlyList<string> Changes(Snapshot before, Snapshot after) =>
        SnapshotDiffer.Compare(before, after).Changes.Select(c => $"{c.Kind.ToString().ToLowerInvariant()} {c.Path}").ToList();

    public void Dispose()
    {
        foreach (var process in processes)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }

        Run("ip", "netns", "del", Name);
    }

    private static void Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {process.ExitCode}: {stderr}");
        }
    }
}
