namespace InfraDiff.Host;

/// <summary>Runs a program on the host being snapshotted, with arguments as an array (never a shell string).</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="program"/> to completion and returns its exit code and output; a non-zero exit is not an error here.</summary>
    /// <exception cref="CommandNotFoundException">The program does not exist on the host.</exception>
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default);
}
