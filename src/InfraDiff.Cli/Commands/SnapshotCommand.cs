using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InfraDiff.Configuration;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff snapshot</c>: collect this host's state and write it as canonical JSON.</summary>
internal static class SnapshotCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the snapshot to FILE (atomically, mode 0600) instead of stdout ('-' is stdout). On a terminal without -o it goes to "
                + "./infradiff-snapshot-TIME.json and a summary is printed instead of the JSON.",
            HelpName = "FILE",
        };
        var signKey = new Option<string?>("--sign-key")
        {
            Description = "Sign the snapshot written with -o using this OpenSSH private key (ssh-keygen -Y sign, namespace infradiff), as FILE.sig; diff and check verify it with --allowed-signers.",
            HelpName = "KEY",
        };
        var snapshot = new SettingOptions(SettingOptions.Snapshot(withImage: true));
        var command = new Command(
            "snapshot",
            Examples.With(
                "Collect this host's state (os, packages, services, users, scheduled, config, network, docker, files) as one JSON document. "
            + "Exit codes: 0 complete, 3 partial (a collector failed or timed out), 2 error.",
                "infradiff snapshot -o host.json", "infradiff snapshot --root /mnt/disk --exclude docker -o disk.json", "infradiff snapshot --image myapp:1.4 -o image.json"))
        {
            output,
            signKey,
        };
        snapshot.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var given = parseResult.GetValue(output);
            var path = given is not null && given != "-" ? given : null;

            // A snapshot of a host is hundreds of MB of JSON: a terminal gets a file and a summary, unless -o - asks for the JSON.
            var toTerminal = given is null && !Console.IsOutputRedirected;
            var started = Stopwatch.GetTimestamp();
            var key = parseResult.GetValue(signKey);
            if (key is not null && path is null)
            {
                throw new InfraDiffException("--sign-key needs -o FILE: the signature is written beside it as FILE.sig");
            }

            var selection = SnapshotSettings.Bind(ConfigFile.Load(parseResult, null, snapshot).Settings);
            if (path is not null)
            {
                OutputFile.CheckFolder(path);
            }

            path ??= toTerminal ? $"infradiff-snapshot-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.json" : null;
            var taken = await selection.TakeAsync(loggers, CommonOptions.Progress(parseResult), cancellationToken);
            if (path is not null)
            {
                await SnapshotFile.WriteAsync(path, taken, cancellationToken);
                if (key is not null)
                {
                    await SshSignature.SignAsync(path, key, cancellationToken);
                }

                if (toTerminal)
                {
                    Console.Out.Write(Summary(taken, path, Stopwatch.GetElapsedTime(started)));
                }
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(SnapshotJson.ToCanonicalBytes(taken), cancellationToken);
            }

            return CommonOptions.ExitCodeOf(taken);
        }));
        return command;
    }

    /// <summary>What a terminal is shown instead of the JSON: where it went, how big, each section's size, what was not collected, what to do next.</summary>
    internal static string Summary(Snapshot taken, string path, TimeSpan elapsed)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(culture, $"Wrote {path} ({new FileInfo(path).Length / 1e6:0.0} MB, mode 0600) in {elapsed.TotalSeconds:0.0} s\n");
        var width = taken.Sections.Keys.Append("").Max(k => k.Length);
        foreach (var (name, section) in taken.Sections.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(culture, $"  {name.PadRight(width)}  {Size(section)}\n");
        }

        foreach (var (name, report) in taken.Metadata.Collectors.Where(c => c.Value.Status != CollectorStatus.Ok).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(culture, $"  {name.PadRight(width)}  not collected: {report.Status.ToString().ToLowerInvariant()}{(report.Reason is { } reason ? $": {HostText.Visible(Excerpt.Cut(reason, 160))}" : "")}\n");
        }

        foreach (var (name, report) in taken.Metadata.Collectors.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var (part, reason) in (report.Failed ?? new Dictionary<string, string>()).Select(f => (f.Key, $"failed: {f.Value}"))
                .Concat((report.Unavailable ?? new Dictionary<string, string>()).Select(u => (u.Key, $"unavailable: {u.Value}"))).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(culture, $"  {name.PadRight(width)}  {part} not read: {HostText.Visible(Excerpt.Cut(reason, 160))}\n");
            }
        }

        text.Append(culture, $"Later, see what drifted: infradiff check --baseline {path}\n");
        return text.ToString();

        // An entry count, or each part's when a section is a few named collections (users: accounts, groups, sudoers).
        static string Size(JsonElement section)
        {
            if (section.ValueKind != JsonValueKind.Object)
            {
                return section.ValueKind == JsonValueKind.Array ? $"{Number(section.GetArrayLength())} entries" : "1 value";
            }

            var members = section.EnumerateObject().ToList();
            return members.Count is > 0 and <= 8 && members.All(m => m.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                ? string.Join(", ", members.Select(m => $"{HostText.Visible(Excerpt.Cut(m.Name, 40))} {Number(Count(m.Value))}"))
                : $"{Number(members.Count)} entries";
        }

        static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

        static int Count(JsonElement value) => value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : value.EnumerateObject().Count();
    }
}
