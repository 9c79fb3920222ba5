using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff snapshot</c>: collect this host's state and write it as canonical JSON.</summary>
internal static class SnapshotCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the snapshot to FILE (atomically, mode 0600) instead of stdout ('-' is stdout).", HelpName = "FILE" };
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
            var path = parseResult.GetValue(output) is { } given && given != "-" ? given : null;
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

            var taken = await selection.TakeAsync(loggers, CommonOptions.Progress(parseResult), cancellationToken);
            if (path is not null)
            {
                await SnapshotFile.WriteAsync(path, taken, cancellationToken);
                if (key is not null)
                {
                    await SshSignature.SignAsync(path, key, cancellationToken);
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
}
