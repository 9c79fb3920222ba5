namespace InfraDiff;

/// <summary>The base of every error infradiff raises on purpose; its message is one line fit for an operator.</summary>
public class InfraDiffException : Exception
{
    /// <summary>Creates an error with an operator-facing message.</summary>
    public InfraDiffException(string message)
        : base(message) { }

    /// <summary>Creates an error with an operator-facing message and its cause.</summary>
    public InfraDiffException(string message, Exception? innerException)
        : base(message, innerException) { }
}

/// <summary>The one wording of why a file given to infradiff could not be read.</summary>
internal static class FileProblem
{
    /// <summary>"no such file" for a missing file or folder, else "cannot read: …".</summary>
    public static string Describe(Exception exception) =>
        exception is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot read: {exception.Message}";
}

/// <summary>A file given to infradiff is missing, unreadable, not JSON, or not a snapshot.</summary>
public sealed class InvalidSnapshotException(string path, string problem, Exception? innerException = null)
    : InfraDiffException($"{path}: {problem}", innerException)
{
    /// <summary>The file that was rejected.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
