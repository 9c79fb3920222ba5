using System.CommandLine;
using InfraDiff.Cli.Commands;

var root = new RootCommand("infradiff: snapshot a Linux host as canonical JSON, diff snapshots as RFC 6902 JSON Patch, alert on drift.")
{
    CommonOptions.Verbose,
    CommonOptions.LogFormat,
    SnapshotCommand.Create(),
    DiffCommand.Create(),
    CheckCommand.Create(),
    WatchCommand.Create(),
    AlertCommand.Create(),
    VerifyCommand.Create(),
    HistoryCommand.Create(),
    ReportCommand.Create(),
};

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // One line and exit 2 (exit 1 means drift): the full help is one --help away.
    var command = parseResult.CommandResult.Command == root ? "infradiff" : $"infradiff {parseResult.CommandResult.Command.Name}";
    var message = string.Join(' ', parseResult.Errors[0].Message.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    Console.Error.WriteLine($"infradiff: {message} (see '{command} --help')");
    return ExitCodes.Error;
}

return await parseResult.InvokeAsync();
