namespace InfraDiff.Host;

/// <summary>Helpers over <see cref="ICommandRunner"/>.</summary>
public static class CommandRunnerExtensions
{
    /// <summary>Runs a command and returns its stdout, throwing <see cref="CommandFailedException"/> on a non-zero exit.</summary>
    public static async Task<string> RunCheckedAsync(
        this ICommandRunner runner,
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunAsync(program, arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException($"{program} {string.Join(' ', arguments)}", result.ExitCode, result.StandardError);
        }

        return result.StandardOutput;
    }
}
