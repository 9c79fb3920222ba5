using System.CommandLine;
using InfraDiff.Cli.Commands;

var root = new RootCommand("infradiff: snapshot a Linux host as canonical JSON, diff snapshots as RFC 6902 JSON Patch, alert on drift.")
{
    CommonOptions.Verbose,
    CommonOptions.LogFormat,
    CommonOptions.Quiet,
    CommonOptions.Color,
    SnapshotCommand.Create(),
    DiffCommand.Create(),
    CheckCommand.Create(),
    WatchCommand.Create(),
    AlertCommand.Create(),
    VerifyCommand.Create(),
    HistoryCommand.Create(),
    AcceptCommand.Create(),
    ReportCommand.Create(),
    FleetCommand.Create(),
    HelpCommands.Help(),
    HelpCommands.Version(),
};
HelpCommands.Usage(root);

var parseResult = root.Parse(args);
if (parseResult.Errors.Count == 0 && parseResult.GetValue(CommonOptions.Quiet) && parseResult.GetValue(CommonOptions.Verbose))
{
    Console.Error.WriteLine("infradiff: --quiet and --verbose cannot be used together");
    return ExitCodes.Error;
}

if (parseResult.Errors.Count > 0)
{
    // A line per problem and exit 2 (exit 1 means drift): the full help is one --help away.
    var names = new List<string>();
    for (var result = parseResult.CommandResult; result.Command != root; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
    {
        names.Insert(0, result.Command.Name);
    }

    var command = string.Join(' ', ["infradiff", .. names]);
    var problems = ParseErrors.Describe(parseResult);
    for (var i = 0; i < problems.Count; i++)
    {
        Console.Error.WriteLine($"infradiff: {problems[i]}{(i == problems.Count - 1 ? $" (see '{command} --help')" : "")}");
    }

    return ExitCodes.Error;
}

return await parseResult.InvokeAsync();
