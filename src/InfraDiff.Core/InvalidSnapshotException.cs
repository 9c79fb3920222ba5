namespace InfraDiff;

/// <summary>A file given to infradiff is missing, unreadable, not JSON, or not a snapshot.</summary>
public sealed class InvalidSnapshotException(string path, string problem, Exception? innerException = null)
    : InfraDiffException($"{path}: {problem}", innerException)
{
    /// <summary>The file that was rejected.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
