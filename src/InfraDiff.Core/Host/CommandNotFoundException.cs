namespace InfraDiff.Host;

/// <summary>A command that could not be started because the program is not installed.</summary>
public sealed class CommandNotFoundException(string program, Exception? innerException = null)
    : InfraDiffException($"{program}: command not found", innerException)
{
    /// <summary>The program that was asked for.</summary>
    public string Program { get; } = program;
}
