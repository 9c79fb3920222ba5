namespace InfraDiff.Sections.Config;

/// <summary>What a config parser could not read, per file: "line 3: …". A malformed line is recorded, never fatal.</summary>
internal sealed class ConfigProblems
{
    public SortedDictionary<string, List<string>> ByFile { get; } = new(StringComparer.Ordinal);

    public void Add(string file, int line, string problem) => Add(file, $"line {line}: {problem}");

    public void Add(string file, string problem)
    {
        if (!ByFile.TryGetValue(file, out var list))
        {
            ByFile[file] = list = [];
        }

        list.Add(problem);
    }
}
