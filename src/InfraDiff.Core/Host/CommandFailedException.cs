namespace InfraDiff.Host;

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
