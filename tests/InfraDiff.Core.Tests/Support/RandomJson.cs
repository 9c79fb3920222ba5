using System.Text.Json.Nodes;

namespace InfraDiff.Tests.Support;

/// <summary>Random JSON documents and random edits of them, for property tests of the differ.</summary>
internal static class RandomJson
{
    private static readonly string[] TrickyKeys = ["", "a/b", "~", "~1", "/", "with space", "ünïcødé", "日本", "emoji 🙂", "a~0b", "0", "-"];

    public static string AnyKey(Random random) =>
        random.Next(4) == 0 ? TrickyKeys[random.Next(TrickyKeys.Length)] : "k" + random.Next(12);

    /// <summary>JsonDiffPatch.Net's safe subset: no '/' or '~' in keys.</summary>
    public static string SafeKey(Random random) => "k" + random.Next(12);

    public static JsonNode? Value(Random random, int depth, Func<Random, string> key, bool arrays = true)
    {
        var choice = random.Next(depth > 3 ? 5 : 8);
        return choice switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0),
            2 => JsonValue.Create(Number(random)),
            3 => JsonValue.Create(Text(random, arrays)),
            4 => JsonValue.Create(random.Next(-5, 5)),
            5 or 6 => Object(random, depth + 1, key, arrays),
            _ => arrays ? Array(random, depth + 1, key) : Object(random, depth + 1, key, arrays),
        };
    }

    public static JsonObject Object(Random random, int depth, Func<Random, string> key, bool arrays = true)
    {
        var result = new JsonObject();
        for (var i = random.Next(6); i > 0; i--)
        {
            result[key(random)] = Value(random, depth, key, arrays);
        }

        return result;
    }

    private static JsonArray Array(Random random, int depth, Func<Random, string> key)
    {
        var result = new JsonArray();
        for (var i = random.Next(8); i > 0; i--)
        {
            result.Add(Value(random, depth, key));
        }

        return result;
    }

    private static double Number(Random random) => random.Next(5) switch
    {
        0 => 1e300,
        1 => -0.5,
        2 => 123456789012.25,
        3 => 9007199254740993,
        _ => Math.Round(random.NextDouble() * 1000, 3),
    };

    private static string Text(Random random, bool long_) =>
        random.Next(4) == 0 && long_ ? new string('x', 64) + random.Next(3) : "s" + random.Next(5);

    /// <summary>A copy of <paramref name="node"/> with random edits: changes, inserts, deletes, reorders and type changes, at any depth.</summary>
    public static JsonNode? Mutate(Random random, JsonNode? node, Func<Random, string> key, bool arrays = true)
    {
        var copy = node?.DeepClone();
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            copy = MutateOnce(random, copy, key, arrays, 0);
        }

        return copy;
    }

    private static JsonNode? MutateOnce(Random random, JsonNode? node, Func<Random, string> key, bool arrays, int depth)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0 && random.Next(3) > 0:
                var names = obj.Select(p => p.Key).ToList();
                var name = names[random.Next(names.Count)];
                switch (random.Next(4))
                {
                    case 0:
                        obj.Remove(name);
                        break;
                    case 1:
                        obj[key(random)] = Value(random, depth + 1, key, arrays);
                        break;
                    default:
                        var child = obj[name];
                        obj[name] = null;
                        obj[name] = MutateOnce(random, child?.DeepClone(), key, arrays, depth + 1);
                        break;
                }

                return obj;
            case JsonArray array when array.Count > 0 && random.Next(3) > 0:
                var index = random.Next(array.Count);
                switch (random.Next(5))
                {
                    case 0:
                        array.RemoveAt(index);
                        break;
                    case 1:
                        array.Insert(index, Value(random, depth + 1, key, arrays));
                        break;
                    case 2:
                        // Reorder: move one element elsewhere.
                        var moved = array[index]?.DeepClone();
                        array.RemoveAt(index);
                        array.Insert(random.Next(array.Count + 1), moved);
                        break;
                    default:
                        var element = array[index]?.DeepClone();
                        array[index] = MutateOnce(random, element, key, arrays, depth + 1);
                        break;
                }

                return array;
            case JsonObject obj:
                obj[key(random)] = Value(random, depth + 1, key, arrays);
                return obj;
            default:
                // A scalar, an empty array, or a type change at this level.
                return Value(random, depth + 1, key, arrays);
        }
    }
}
