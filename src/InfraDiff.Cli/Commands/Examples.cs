namespace InfraDiff.Cli.Commands;

/// <summary>Examples under a command's help: what an operator types first.</summary>
internal static class Examples
{
    /// <summary>The description, then each example on a line of its own.</summary>
    public static string With(string description, params string[] examples) =>
        description + "\n\nExamples:\n" + string.Concat(examples.Select(e => $"  {e}\n")).TrimEnd('\n');
}
