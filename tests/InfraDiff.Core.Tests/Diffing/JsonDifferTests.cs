using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Diffing;

public sealed class JsonDifferTests
{
    /// <summary>Through the public entry point, which is the engine every report uses.</summary>
    private static List<PatchOperation> Patch(string before, string after)
    {
        // Not disposed: the operations' values point into the documents.
        return [.. JsonPatch.Create(JsonDocument.Parse(before), JsonDocument.Parse(after))];
    }

    private static string Text(IEnumerable<PatchOperation> patch) => JsonSerializer.Serialize(patch, SnapshotJson.Options);

    [Fact]
    public void Identical_documents_in_another_key_order_give_no_operations()
    {
        Assert.Empty(Patch("""{"a":1,"b":{"x":[1,2],"y":"\u0041"}}""", """{"b":{"y":"A","x":[1,2]},"a":1.0}"""));
    }

    [Fact]
    public void A_changed_value_is_a_test_then_a_replace_with_an_escaped_path()
    {
        var patch = Patch("""{"files":{"/etc/passwd":{"sha256":"aa"}}}""", """{"files":{"/etc/passwd":{"sha256":"bb"}}}""");

        Assert.Equal("""[{"op":"test","path":"/files/~1etc~1passwd/sha256","value":"aa"},{"op":"replace","path":"/files/~1etc~1passwd/sha256","value":"bb"}]""", Text(patch));
    }

    [Fact]
    public void A_type_change_is_one_replace_and_the_root_is_the_empty_pointer()
    {
        Assert.Equal("""[{"op":"test","path":"/a","value":{"b":1}},{"op":"replace","path":"/a","value":"text"}]""", Text(Patch("""{"a":{"b":1}}""", """{"a":"text"}""")));
        Assert.Equal("""[{"op":"test","path":"","value":[1]},{"op":"replace","path":"","value":{"x":null}}]""", Text(Patch("[1]", """{"x":null}""")));
    }

    [Fact]
    public void An_insert_in_the_middle_of_an_array_is_one_add()
    {
        Assert.Equal("""[{"op":"add","path":"/r/2","value":"new"}]""", Text(Patch("""{"r":["a","b","c","d"]}""", """{"r":["a","b","new","c","d"]}""")));
    }

    [Fact]
    public void A_changed_object_in_an_array_is_diffed_in_place()
    {
        var patch = Patch("""[{"chain":"INPUT","target":"ACCEPT"},{"chain":"INPUT","target":"DROP"}]""", """[{"chain":"INPUT","target":"ACCEPT"},{"chain":"INPUT","target":"REJECT"}]""");

        Assert.Equal("""[{"op":"test","path":"/1/target","value":"DROP"},{"op":"replace","path":"/1/target","value":"REJECT"}]""", Text(patch));
    }

    [Fact]
    public void A_hundred_thousand_element_array_with_a_few_scattered_edits_gives_only_those_edits()
    {
        var before = Enumerable.Range(0, 100_000).Select(i => $"rule {i}").ToList();
        var after = before.ToList();
        after.RemoveAt(70_000);
        after.Insert(50_000, "inserted");
        after[10_000] = "changed";
        after.RemoveAt(99_000);

        var patch = Patch(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));

        Assert.Equal(
            ["test /10000", "replace /10000", "add /50000", "test /70001", "remove /70001", "test /99000", "remove /99000"],
            patch.Select(o => $"{o.Op} {o.Path}"));
    }

    [Fact]
    public void An_array_rewritten_past_the_cost_bound_is_replaced_whole()
    {
        var before = Enumerable.Range(0, 50_000).ToArray();
        var after = Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? i : -i).ToArray();

        var patch = Patch(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));

        Assert.Equal(["test ", "replace "], patch.Select(o => $"{o.Op} {o.Path}"));
    }

    [Fact]
    public void Random_pairs_round_trip_through_an_independent_rfc6902_implementation()
    {
        var random = new Random(6902);
        var cases = new List<PatchOracle.Case>();
        for (var i = 0; i < 3000; i++)
        {
            var before = RandomJson.Value(random, depth: 0, RandomJson.AnyKey);
            var after = i % 10 == 0 ? RandomJson.Value(random, depth: 0, RandomJson.AnyKey) : RandomJson.Mutate(random, before, RandomJson.AnyKey);
            var beforeText = before?.ToJsonString() ?? "null";
            var afterText = after?.ToJsonString() ?? "null";
            // The empty patch is a control: wherever infradiff saw a change, the oracle must reject doing nothing.
            cases.Add(new PatchOracle.Case(beforeText, afterText, new Dictionary<string, string> { ["infradiff"] = Text(Patch(beforeText, afterText)), ["empty"] = "[]" }));
        }

        var results = PatchOracle.Apply(cases);
        var changed = cases.Select((c, i) => (c, i)).Where(x => x.c.Patches["infradiff"] != "[]").Select(x => x.i).ToList();
        Assert.True(changed.Count > 2500, $"only {changed.Count} of {cases.Count} random pairs differ");
        Assert.All(changed, i => Assert.NotEqual("ok", results[i]["empty"]));

        var failures = results.Select((r, i) => (r["infradiff"], i)).Where(r => r.Item1 != "ok").Take(3)
            .Select(r => $"case {r.i}: {r.Item1}\n  before {cases[r.i].Before}\n  after  {cases[r.i].After}\n  patch  {cases[r.i].Patches["infradiff"]}");
        Assert.Equal(cases.Count, results.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Agrees_with_JsonDiffPatch_Net_within_its_safe_subset()
    {
        var random = new Random(2020);
        var jdp = new JsonDiffPatchDotNet.JsonDiffPatch();
        var formatter = new JsonDiffPatchDotNet.Formatters.JsonPatch.JsonDeltaFormatter();
        var settings = new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        var cases = new List<PatchOracle.Case>();
        for (var i = 0; i < 1000; i++)
        {
            var before = RandomJson.Object(random, depth: 0, RandomJson.SafeKey, arrays: false);
            var after = RandomJson.Mutate(random, before, RandomJson.SafeKey, arrays: false);
            var beforeText = before.ToJsonString();
            var afterText = after!.ToJsonString();
            var left = Newtonsoft.Json.JsonConvert.DeserializeObject<Newtonsoft.Json.Linq.JToken>(beforeText, settings)!;
            var right = Newtonsoft.Json.JsonConvert.DeserializeObject<Newtonsoft.Json.Linq.JToken>(afterText, settings)!;
            var theirs = formatter.Format(jdp.Diff(left, right));
            cases.Add(new PatchOracle.Case(beforeText, afterText, new Dictionary<string, string>
            {
                ["infradiff"] = Text(Patch(beforeText, afterText)),
                ["jsondiffpatch"] = Newtonsoft.Json.JsonConvert.SerializeObject(theirs.Select(o => new { op = o.Op, path = o.Path, value = o.Value })),
            }));
        }

        var results = PatchOracle.Apply(cases);

        Assert.All(results, r => Assert.Equal("ok", r["jsondiffpatch"]));
        Assert.All(results, r => Assert.Equal("ok", r["infradiff"]));
    }
}
