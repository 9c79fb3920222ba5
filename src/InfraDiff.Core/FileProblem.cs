namespace InfraDiff;

/// <summary>The one wording of why a file given to infradiff could not be read.</summary>
internal static class FileProblem
{
    /// <summary>"no such file" for a missing file or folder, else "cannot read: …".</summary>
    public static string Describe(Exception exception) =>
        exception is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot read: {exception.Message}";
}
