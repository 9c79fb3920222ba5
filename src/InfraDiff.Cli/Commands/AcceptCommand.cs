using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary>
/// <c>infradiff accept ID... --reason TEXT</c>: accept changes one by one, into a watch store's baseline (or as
/// acknowledged, in a store that compares with the previous snapshot), or into a baseline file; each with who and why.
/// </summary>
internal static class AcceptCommand
{
    public static Command Create()
    {
        var accept = new AcceptOptions("Accept every change there is (day one); prints what it accepted by severity.");
        var baseline = new Option<string?>("--baseline", "-b") { Description = "Accept into this baseline file (the one 'check --baseline' reads) instead of a watch store.", HelpName = "FILE" };
        var from = new Option<string?>("--from") { Description = "With --baseline: the snapshot the drift is read from [default: a snapshot of this host taken now, with the snapshot settings given].", HelpName = "SNAPSHOT" };
        var signKey = new Option<string?>("--sign-key") { Description = "With --baseline: sign the baseline again with this SSH private key (FILE.sig); required when the baseline was signed.", HelpName = "KEY" };
        var allowedSigners = new Option<string?>("--allowed-signers")
        {
            Description = "With --baseline: require the baseline's signature to be by a key this ssh-keygen allowed_signers file lists, and the acceptance to be signed "
                + "(--sign-key) by one of them; its principal is recorded as who accepted.",
            HelpName = "FILE",
        };
        var rules = new RuleOptions();
        var watch = new SettingOptions("watch:dir", "watch:keyFile");
        var snapshot = new SettingOptions(SettingOptions.Snapshot(withImage: true));
        var command = new Command(
            "accept",
            Examples.With(
                "Accept changes one by one, by id: in a watch store compared with its baseline, each change's exact new value is written into the baseline "
            + "(the same change stops alerting, another value at its path alerts again); in a store compared with the previous snapshot, the change is acknowledged "
            + "('history --unacknowledged' lists those nobody did). With --baseline, the same for a baseline file. Each acceptance records who, why and when, in the "
            + "store's journal or the baseline's metadata. Exit codes: 0 accepted, 2 an id not in the current drift, a missing reason, or another error (nothing accepted).",
                "infradiff accept 3f9a2c7e1b --reason \"planned sshd hardening, CHG-1234\" --dir /var/lib/infradiff",
                "infradiff accept --all --reason \"day one\" --dir /var/lib/infradiff",
                "infradiff accept 3f9a2c7e1b --baseline baseline.json --reason \"new CA bundle\""));
        accept.AddTo(command);
        command.Options.Add(baseline);
        command.Options.Add(from);
        command.Options.Add(signKey);
        command.Options.Add(allowedSigners);
        rules.AddTo(command);
        watch.AddTo(command);
        snapshot.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var (chosen, why, who) = accept.Read(parseResult);
            var (file, settings) = ConfigFile.Load(parseResult, rules.Config, watch, snapshot);
            var driftRules = rules.Rules(parseResult, file);
            IReadOnlyList<Acceptance> accepted;
            string where;
            if (parseResult.GetValue(baseline) is { } baselinePath)
            {
                where = baselinePath;
                accepted = await AcceptIntoFileAsync(baselinePath, chosen, why, who, driftRules, cancellationToken);
            }
            else
            {
                var store = WatchSettings.Bind(settings);
                CommonOptions.RequireStore(store.Directory, "--baseline FILE for a baseline file");

                where = store.Directory;
                accepted = await new SnapshotStore(store.Directory, StoreKey.LoadExisting(store.KeyFile)).Acceptances.AcceptAsync(chosen, why, who, driftRules, cancellationToken: cancellationToken);
            }

            foreach (var acceptance in accepted)
            {
                Console.Out.WriteLine(AcceptOptions.Line(acceptance, where));
            }

            return ExitCodes.Ok;

            async Task<IReadOnlyList<Acceptance>> AcceptIntoFileAsync(string path, IReadOnlyCollection<string>? wanted, string because, string accepter, DriftRules ruleSet, CancellationToken ct)
            {
                var signer = parseResult.GetValue(signKey);
                if (parseResult.GetValue(allowedSigners) is { } signers)
                {
                    await SshSignature.VerifyAsync(path, signers, ct);
                    accepter = signer is null
                        ? throw new InfraDiffException("--allowed-signers requires the acceptance to be signed: give --sign-key with a key it lists")
                        : await PrincipalOfAsync(signer, signers, because, ct);
                }

                if (signer is null && File.Exists(path + ".sig"))
                {
                    throw new InfraDiffException($"{path} is signed ({Path.GetFileName(path)}.sig): give --sign-key to sign it again once the changes are in");
                }

                var old = await SnapshotFile.ReadAsync(path, ct);
                var later = parseResult.GetValue(from) is { } laterPath
                    ? await SnapshotFile.ReadAsync(laterPath, ct)
                    : await SnapshotSettings.Bind(settings).TakeAsync(loggers, CommonOptions.Progress(parseResult), ct);
                var (updated, records, notFound) = DriftAcceptance.AcceptIntoBaseline(old, later, ruleSet, wanted, because, accepter, DateTimeOffset.UtcNow);
                if (notFound.Count > 0)
                {
                    throw new InfraDiffException($"{notFound[0]}: no change with this id in the drift from {path} ('infradiff check --baseline {path}' lists the ids); nothing accepted");
                }

                if (records.Count == 0)
                {
                    throw new InfraDiffException($"nothing to accept: no drift from {path}");
                }

                await SnapshotFile.WriteAsync(path, updated, ct);
                if (signer is not null)
                {
                    await SshSignature.SignAsync(path, signer, ct);
                }

                return records;
            }
        }));
        return command;
    }

    /// <summary>The principal <paramref name="signers"/> names for <paramref name="key"/>: read from a signature the key makes, never taken on the user's word.</summary>
    private static async Task<string> PrincipalOfAsync(string key, string signers, string reason, CancellationToken cancellationToken)
    {
        var probe = Directory.CreateTempSubdirectory("infradiff-accept-");
        try
        {
            var statement = Path.Join(probe.FullName, "acceptance");
            await File.WriteAllTextAsync(statement, reason, cancellationToken);
            await SshSignature.SignAsync(statement, key, cancellationToken);
            try
            {
                return await SshSignature.VerifyAsync(statement, signers, cancellationToken);
            }
            catch (InfraDiffException)
            {
                throw new InfraDiffException($"--sign-key {key}: not a key {signers} allows; nothing accepted");
            }
        }
        finally
        {
            probe.Delete(recursive: true);
        }
    }
}
