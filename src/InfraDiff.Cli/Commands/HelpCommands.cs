using System.CommandLine;
using System.Reflection;

namespace InfraDiff.Cli.Commands;

/// <summary>What a new user types first: bare <c>infradiff</c>, <c>infradiff help [COMMAND]</c>, <c>infradiff version</c>.</summary>
internal static class HelpCommands
{
    /// <summary>Bare <c>infradiff</c> prints the usage (every command, one line each) and exits 0.</summary>
    public static void Usage(RootCommand root) => root.SetAction(parseResult => Show(parseResult.RootCommandResult.Command));

    /// <summary><c>infradiff help [COMMAND...]</c>: the help of the tool, or of a command ("help fleet check").</summary>
    public static Command Help()
    {
        var path = new Argument<string[]>("COMMAND") { Description = "The command whose help to show.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Show the help of the tool, or of a command: infradiff help diff") { path };
        command.SetAction((parseResult, _) => CommonOptions.RunAsync(parseResult, _ =>
        {
            Command target = parseResult.RootCommandResult.Command;
            var names = parseResult.GetValue(path) ?? [];
            for (var i = 0; i < names.Length; i++)
            {
                target = target.Subcommands.FirstOrDefault(c => c.Name == names[i])
                    ?? throw new InfraDiffException($"no command '{names[i]}'{(i == 0 ? "" : $" in 'infradiff {string.Join(' ', names.Take(i))}'")} (see 'infradiff --help')");
            }

            return Task.FromResult(Show(target));
        }));
        return command;
    }

    /// <summary><c>infradiff version</c>: the tool's version, as --version prints it.</summary>
    public static Command Version()
    {
        var command = new Command("version", "Show the tool's version.");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(typeof(HelpCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The command's help, as --help shows it, parsed from the root so the help option (the root's) applies.</summary>
    private static int Show(Command command)
    {
        var root = command;
        while (root.Parents.OfType<Command>().FirstOrDefault() is { } parent)
        {
            root = parent;
        }

        return root.Parse([.. Path(command).Skip(1), "--help"]).Invoke();
    }

    private static IEnumerable<string> Path(Command command) =>
        command.Parents.OfType<Command>().SelectMany(Path).Append(command.Name);
}
