using System.CommandLine;
using InfraDiff.Cli.Commands;

var root = new RootCommand("infradiff: snapshot a Linux host as canonical JSON, diff snapshots as RFC 6902 JSON Patch, alert on drift.")
{
    CommonOptions.Verbose,
    SnapshotCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
