using InfraDiff.Pipeline;
using Mono.Cecil;

namespace InfraDiff.Tests.Architecture;

/// <summary>
/// Core's namespaces form a DAG (host → sections → snapshots → diff → report → alert/store → monitor/fleet): read from
/// the compiled assembly, every type a namespace's types use (signatures, fields, bodies, attributes) counts.
/// </summary>
public sealed class NamespaceTests
{
    [Fact]
    public void Core_namespaces_form_a_directed_acyclic_graph()
    {
        var graph = Graph(typeof(BuiltInSections).Assembly.Location);

        var cycles = StronglyConnected(graph.Keys.ToList(), n => graph[n].Keys).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c => "cycle: " + string.Join(" ↔ ", c.Order(StringComparer.Ordinal)) + "\n  "
            + string.Join("\n  ", c.SelectMany(from => graph[from].Where(e => c.Contains(e.Key)).Select(e => $"{from} → {e.Key} ({e.Value})"))))));
        Assert.True(graph.Count >= 15, $"only {graph.Count} namespaces found: {string.Join(", ", graph.Keys)}");
    }

    [Fact]
    public void The_stages_depend_only_downstream()
    {
        var graph = Graph(typeof(BuiltInSections).Assembly.Location);

        // The pipeline's order: nothing early in it reaches a later stage.
        string[][] forbidden =
        [
            ["InfraDiff.Host", "InfraDiff.Sections"], ["InfraDiff.Host", "InfraDiff.Diffing"], ["InfraDiff.Snapshots", "InfraDiff.Diffing"],
            ["InfraDiff.Sections", "InfraDiff.Pipeline"], ["InfraDiff.Pipeline", "InfraDiff.Monitoring"], ["InfraDiff.Pipeline", "InfraDiff.Alerting"],
            ["InfraDiff.Diffing", "InfraDiff.Reporting"], ["InfraDiff.Reporting", "InfraDiff.Alerting"], ["InfraDiff.Reporting", "InfraDiff.Monitoring"],
            ["InfraDiff.Alerting", "InfraDiff.Monitoring"], ["InfraDiff", "InfraDiff.Diffing"], ["InfraDiff", "InfraDiff.Pipeline"],
        ];
        foreach (var pair in forbidden)
        {
            Assert.False(graph.TryGetValue(pair[0], out var edges) && edges.ContainsKey(pair[1]), $"{pair[0]} uses {pair[1]}: {edges?.GetValueOrDefault(pair[1])}");
        }
    }

    /// <summary>Namespace → the namespaces its types use, each with one example ("Type uses Type").</summary>
    private static Dictionary<string, Dictionary<string, string>> Graph(string assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly);
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!Ours(from))
            {
                continue;
            }

            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new(StringComparer.Ordinal);
            foreach (var used in Used(type))
            {
                if (used.Scope is ModuleDefinition && NamespaceOf(used) is var to && to != from && Ours(to))
                {
                    edges.TryAdd(to, $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        return graph;
    }

    private static bool Ours(string ns) => ns == "InfraDiff" || ns.StartsWith("InfraDiff.", StringComparison.Ordinal) || ns == "Microsoft.Extensions.DependencyInjection";

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    /// <summary>Every type <paramref name="type"/> names: its base, interfaces, members' signatures, attributes, and the operands of its methods' bodies.</summary>
    private static IEnumerable<TypeReference> Used(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }

                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void Attributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
            }
        }

        Add(type.BaseType);
        Attributes(type);
        foreach (var @interface in type.Interfaces)
        {
            Add(@interface.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            Attributes(field);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            Attributes(property);
        }

        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            Attributes(method);
            foreach (var parameter in method.Parameters)
            {
                Add(parameter.ParameterType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Add(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operand:
                        Add(operand);
                        break;
                    case MethodReference operand:
                        Add(operand.DeclaringType);
                        Add(operand.ReturnType);
                        if (operand is GenericInstanceMethod genericMethod)
                        {
                            foreach (var argument in genericMethod.GenericArguments)
                            {
                                Add(argument);
                            }
                        }

                        break;
                    case FieldReference operand:
                        Add(operand.DeclaringType);
                        Add(operand.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(List<string> nodes, Func<string, IEnumerable<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges(node).Where(nodes.Contains))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return components;
    }
}
