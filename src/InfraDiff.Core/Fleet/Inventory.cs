namespace InfraDiff.Fleet;

/// <summary>The hosts of a fleet and their groups, read from an Ansible inventory (INI or YAML) or a plain list of user@host[:port] lines.</summary>
public sealed class Inventory
{
    /// <summary>The largest inventory file read: a wrong path (a disk image, /dev/zero) fails instead of filling memory.</summary>
    public const int MaxFileBytes = 16 << 20;

    internal Inventory(string source, IReadOnlyList<InventoryHost> hosts, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        Source = source;
        Hosts = hosts;
        Groups = groups;
    }

    /// <summary>Where the inventory was read from.</summary>
    public string Source { get; }

    /// <summary>Every host, in the order the inventory first names them.</summary>
    public IReadOnlyList<InventoryHost> Hosts { get; }

    /// <summary>Each group's hosts (through children too), "all" and "ungrouped" included.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; }

    /// <summary>Reads an inventory file: YAML when it ends in .yml, .yaml or .json or starts like YAML, otherwise INI (a plain host list is valid INI).</summary>
    /// <exception cref="InvalidInventoryException">The file is missing, unreadable, too large or malformed; the message names the line.</exception>
    public static Inventory Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = Host.InputFile.ReadAllBytes(path, Host.InputFile.InventoryLimit);
        }
        catch (InfraDiffException ex)
        {
            throw new InvalidInventoryException($"inventory {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInventoryException($"inventory {path}: {FileProblem.Describe(ex)}", ex);
        }

        if (bytes.Length > MaxFileBytes)
        {
            throw new InvalidInventoryException($"inventory {path}: {bytes.Length:N0} bytes, more than an inventory can be ({MaxFileBytes >> 20} MiB)");
        }

        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new InvalidInventoryException($"inventory {path}: not UTF-8 text", ex);
        }

        var yaml = Path.GetExtension(path).ToLowerInvariant() is ".yml" or ".yaml" or ".json";
        return Parse(text, path, yaml || LooksLikeYaml(text));
    }

    /// <summary>Parses inventory text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InvalidInventoryException">The text is malformed; the message names the line.</exception>
    public static Inventory Parse(string text, string source, bool yaml)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new InventoryBuilder(source);
        if (yaml)
        {
            YamlInventoryParser.Parse(text, builder);
        }
        else
        {
            IniInventoryParser.Parse(text, builder);
        }

        return builder.Build();
    }

    /// <summary>The hosts a pattern selects, as Ansible's --limit reads it: names, groups, globs, ~regex, joined by ':' or ',', with '&amp;' intersecting and '!' excluding.</summary>
    /// <param name="pattern">The pattern; null or empty for every host.</param>
    /// <param name="patternName">How an error names the pattern to whoever gave it (a tool gives its flag).</param>
    /// <exception cref="InvalidInventoryException">A part of the pattern matches no host or group, or the whole selects no host.</exception>
    public IReadOnlyList<InventoryHost> Select(string? pattern, string patternName = "the host pattern") => HostPatterns.Select(this, pattern, patternName);

    /// <summary>A first meaningful line like "all:" or "---" is YAML; "[group]" or a host line is INI.</summary>
    private static bool LooksLikeYaml(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            return line == "---" || line == "{" || (line.EndsWith(':') && !line.Contains(' ', StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal));
        }

        return false;
    }
}
