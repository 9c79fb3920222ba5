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

/// <summary>A file given to infradiff is missing, unreadable, not JSON, or not a snapshot.</summary>
public sealed class InvalidSnapshotException(string path, string problem, Exception? innerException = null)
    : InfraDiffException($"{path}: {problem}", innerException)
{
    /// <summary>The file that was rejected.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
