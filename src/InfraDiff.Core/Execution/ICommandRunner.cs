namespace InfraDiff.Execution;

/// <summary>Runs a program on the host being snapshotted, with arguments as an array (never a shell string).</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="program"/> to completion and returns its exit code and output; a non-zero exit is not an error here.</summary>
    /// <exception cref="CommandNotFoundException">The program does not exist on the host.</exception>
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default);
}

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>A command that could not be started because the program is not installed.</summary>
public sealed class CommandNotFoundException(string program, Exception? innerException = null)
    : InfraDiffException($"{program}: command not found", innerException)
{
    /// <summary>The program that was asked for.</summary>
    public string Program { get; } = program;
}

/// <summary>A command that exited non-zero where success was required.</summary>
public sealed class CommandFailedException(string command, int exitCode, string standardError)
    : InfraDiffException($"'{command}' exited with code {exitCode}: {FirstLine(standardError)}")
{
    /// <summary>The command line that failed.</summary>
    public string Command { get; } = command;

    /// <summary>Its exit code.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>What it wrote to stderr.</summary>
    public string StandardError { get; } = standardError;

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? trimmed : trimmed[..newline];
    }
}

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
