using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Monitoring;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff verify --dir STORE</c>: checks a store's journal (every MAC, the chain, the remembered head) and every file against it.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var watch = new SettingOptions("watch:dir", "watch:keyFile");
        var command = new Command(
            "verify",
            Examples.With(
                "Check a watch store: every journal entry's MAC and the hash chain, the head remembered outside the store, and every snapshot, baseline and outbox file "
            + "against the journal. Prints 'intact' with the head, or the first problem. Exit codes: 0 intact, 1 broken, 2 error.",
                "infradiff verify --dir /var/lib/infradiff"));
        watch.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, _ =>
        {
            var settings = WatchSettings.Bind(ConfigFile.Load(parseResult, null, watch).Settings);
            CommonOptions.RequireStore(settings.Directory);

            var problems = StoreVerifier.Verify(settings.Directory, StoreKey.LoadExisting(settings.KeyFile), out var journal);
            if (problems.Count > 0)
            {
                // A problem names store files, which anyone who can write the store may name.
                Console.Out.WriteLine($"broken: {HostText.Visible(problems[0])}");
                foreach (var more in problems.Skip(1))
                {
                    Console.Out.WriteLine($"also: {HostText.Visible(more)}");
                }

                return Task.FromResult(ExitCodes.Drift);
            }

            Console.Out.WriteLine($"intact: {journal.Sequence} journal entries, head {journal.Head} (entry {journal.Sequence})");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
