using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace InfraDiff.Fleet;

/// <summary>
/// Ansible's YAML inventory: top-level groups (usually just "all"), each with hosts, vars and children, nested as
/// deep as a real inventory nests (<see cref="MaxDepth"/>), its aliases expanding to at most <see cref="MaxNodes"/> nodes.
/// </summary>
internal static class YamlInventoryParser
{
    /// <summary>How deep collections may nest: the tree is built by recursion, which a file of 100,000 '[' would overflow.</summary>
    private const int MaxDepth = 64;

    /// <summary>How many nodes the inventory may hold once its aliases are followed: a "billion laughs" of nested aliases fails instead of running for ever.</summary>
    private const int MaxNodes = 1_000_000;

    public static void Parse(string text, InventoryBuilder builder)
    {
        var stream = new YamlStream();
        try
        {
            CheckShape(text, builder);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw builder.Problem($"line {ex.Start.Line}: not valid YAML ({Excerpt.Cut(ex.Message.Split('\n')[0], 120)})");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        var root = Mapping(stream.Documents[0].RootNode, builder, "the document");
        foreach (var (name, group) in root)
        {
            Group(Scalar(name, builder), group, builder);
        }
    }

    /// <summary>
    /// Reads the events once before the tree is built: nesting deeper than <see cref="MaxDepth"/> is refused, and so is
    /// a document whose aliases (each counted as the nodes its anchor holds) add up to more than <see cref="MaxNodes"/>.
    /// </summary>
    private static void CheckShape(string text, InventoryBuilder builder)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(string? Anchor, long NodesBefore)>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long nodes = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (open.Count == MaxDepth)
                    {
                        throw builder.Problem($"line {parser.Current.Start.Line}: collections nest more than {MaxDepth} deep");
                    }

                    open.Push((((NodeEvent)parser.Current).Anchor.IsEmpty ? null : ((NodeEvent)parser.Current).Anchor.Value, nodes));
                    nodes++;
                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, before) = open.Pop();
                    if (anchor is not null)
                    {
                        sizes[anchor] = nodes - before;
                    }

                    break;
                case Scalar scalar:
                    nodes++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }

                    break;
                case AnchorAlias alias:
                    nodes += sizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
            }

            if (nodes > MaxNodes)
            {
                throw builder.Problem($"line {parser.Current!.Start.Line}: more than {MaxNodes} nodes once its aliases are followed");
            }
        }
    }

    private static void Group(string name, YamlNode node, InventoryBuilder builder)
    {
        builder.AddGroup(name);
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        foreach (var (key, value) in Mapping(node, builder, $"group {name}"))
        {
            switch (Scalar(key, builder))
            {
                case "hosts":
                    foreach (var (host, variables) in Entries(value, builder, $"group {name}: hosts"))
                    {
                        builder.AddHosts(name, Scalar(host, builder), Variables(variables, builder, $"host {Scalar(host, builder)}"));
                    }

                    break;
                case "vars":
                    foreach (var (variable, text) in Variables(value, builder, $"group {name}: vars"))
                    {
                        builder.AddGroupVariable(name, variable, text);
                    }

                    break;
                case "children":
                    foreach (var (child, group) in Entries(value, builder, $"group {name}: children"))
                    {
                        builder.AddChild(name, Scalar(child, builder));
                        Group(Scalar(child, builder), group, builder);
                    }

                    break;
                default:
                    throw builder.Problem($"line {key.Start.Line}: group {name}: '{Excerpt.Cut(Scalar(key, builder))}' is not hosts, vars or children");
            }
        }
    }

    /// <summary>Scalar variables as text (true, 22, "x"); lists and maps are not connection settings and are passed over.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Variables(YamlNode node, InventoryBuilder builder, string what) =>
        Entries(node, builder, what)
            .Where(e => e.Value is YamlScalarNode)
            .Select(e => new KeyValuePair<string, string>(Scalar(e.Key, builder), ((YamlScalarNode)e.Value).Value ?? ""));

    /// <summary>A mapping's entries; an empty value ("hosts:" with nothing under it) has none.</summary>
    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(YamlNode node, InventoryBuilder builder, string what) =>
        node is YamlScalarNode { Value: null or "" } ? [] : Mapping(node, builder, what);

    private static YamlMappingNode Mapping(YamlNode node, InventoryBuilder builder, string what) =>
        node as YamlMappingNode ?? throw builder.Problem($"line {node.Start.Line}: {what} is not a mapping");

    private static string Scalar(YamlNode node, InventoryBuilder builder) =>
        node is YamlScalarNode { Value: { } value } ? value : throw builder.Problem($"line {node.Start.Line}: a key is not a plain name");
}
