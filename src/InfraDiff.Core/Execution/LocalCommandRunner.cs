using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace InfraDiff.Execution;

/// <summary>Runs commands on this machine through CliWrap.</summary>
public sealed class LocalCommandRunner : ICommandRunner
{
    /// <summary>The shared instance.</summary>
    public static LocalCommandRunner Instance { get; } = new();

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Cli.Wrap(program)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                // A fixed locale keeps column headers and dates parseable whatever the operator's LANG is.
                .WithEnvironmentVariables(e => e.Set("LC_ALL", "C"))
                .ExecuteBufferedAsync(cancellationToken)
                .ConfigureAwait(false);
            return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception ex)
        {
            throw new CommandNotFoundException(program, ex);
        }
    }
}
