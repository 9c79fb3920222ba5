using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>
/// Structural diff of two JSON values into add/remove/replace changes whose in-order application turns the
/// first into the second. Objects are merged key by key on sorted keys (linear for canonical input);
/// arrays by an element-hash Myers LCS with a cost bound, past which the array is replaced whole.
/// </summary>
internal static class JsonDiffer
{
    /// <summary>The Myers budget: (N + M) × D steps at most, so a huge array with many edits cannot stall a diff.</summary>
    internal const long ArrayCostBudget = 20_000_000;

    internal const int MaxEditDistance = 2_000;

    public static List<JsonChange> Diff(JsonElement before, JsonElement after, string path = "")
    {
        var changes = new List<JsonChange>();
        Diff(before, after, path, changes);
        return changes;
    }

    public static void Diff(JsonElement before, JsonElement after, string path, List<JsonChange> changes)
    {
        if (JsonValues.RawEquals(before, after))
        {
            return;
        }

        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            DiffObjects(before, after, path, changes);
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array)
        {
            DiffArrays(before, after, path, changes);
        }
        else if (!JsonElement.DeepEquals(before, after))
        {
            changes.Add(new JsonChange(ChangeKind.Replace, path, before, after));
        }
    }

    private static void DiffObjects(JsonElement before, JsonElement after, string path, List<JsonChange> changes)
    {
        var a = SortedProperties(before);
        var b = SortedProperties(after);
        if (a.Length + b.Length < ParallelThreshold)
        {
            Merge(a, b, path, changes);
            return;
        }

        // A huge object (a files section) is merged in two halves at once, split at the middle key of the earlier side.
        var middle = a.Length / 2;
        var split = LowerBound(b, a[middle]);
        var left = new List<JsonChange>();
        var right = new List<JsonChange>();
        Parallel.Invoke(
            () => Merge(a.AsSpan(0, middle), b.AsSpan(0, split), path, left),
            () => Merge(a.AsSpan(middle), b.AsSpan(split), path, right));
        changes.AddRange(left);
        changes.AddRange(right);
    }

    /// <summary>Objects with more members than this, on both sides together, are merged on two threads.</summary>
    internal const int ParallelThreshold = 200_000;

    private static void Merge(ReadOnlySpan<JsonProperty> a, ReadOnlySpan<JsonProperty> b, string path, List<JsonChange> changes)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var order = i == a.Length ? 1 : j == b.Length ? -1 : CompareNames(a[i], b[j]);
            if (order < 0)
            {
                changes.Add(new JsonChange(ChangeKind.Remove, JsonPointer.Append(path, a[i].Name), a[i].Value, default));
                i++;
            }
            else if (order > 0)
            {
                changes.Add(new JsonChange(ChangeKind.Add, JsonPointer.Append(path, b[j].Name), default, b[j].Value));
                j++;
            }
            else
            {
                // The child path is built only for values that differ: most of a large section is unchanged.
                if (!JsonValues.RawEquals(a[i].Value, b[j].Value))
                {
                    Diff(a[i].Value, b[j].Value, JsonPointer.Append(path, a[i].Name), changes);
                }

                i++;
                j++;
            }
        }
    }

    /// <summary>The index of the first member of sorted <paramref name="properties"/> whose name is not before <paramref name="key"/>'s.</summary>
    private static int LowerBound(JsonProperty[] properties, JsonProperty key)
    {
        int low = 0, high = properties.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (CompareNames(properties[mid], key) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static JsonProperty[] SortedProperties(JsonElement element)
    {
        var properties = element.EnumerateObject().ToArray();
        for (var k = 1; k < properties.Length; k++)
        {
            if (CompareNames(properties[k - 1], properties[k]) > 0)
            {
                Array.Sort(properties, CompareNames);
                break;
            }
        }

        return properties;
    }

    /// <summary>Orders names by their unescaped UTF-8 bytes, reading the document's bytes directly unless a name is escaped.</summary>
    private static int CompareNames(JsonProperty x, JsonProperty y)
    {
        var rawX = JsonMarshal.GetRawUtf8PropertyName(x);
        var rawY = JsonMarshal.GetRawUtf8PropertyName(y);
        if (!rawX.Contains((byte)'\\') && !rawY.Contains((byte)'\\'))
        {
            return rawX.SequenceCompareTo(rawY);
        }

        return Encoding.UTF8.GetBytes(x.Name).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y.Name));
    }

    private static void DiffArrays(JsonElement before, JsonElement after, string path, List<JsonChange> changes)
    {
        var a = before.EnumerateArray().ToArray();
        var b = after.EnumerateArray().ToArray();
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && JsonValues.ValueEquals(a[prefix], b[prefix]))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && JsonValues.ValueEquals(a[a.Length - 1 - suffix], b[b.Length - 1 - suffix]))
        {
            suffix++;
        }

        var oldMiddle = a.AsSpan(prefix, a.Length - prefix - suffix).ToArray();
        var newMiddle = b.AsSpan(prefix, b.Length - prefix - suffix).ToArray();
        var hashA = Array.ConvertAll(oldMiddle, JsonValues.Hash);
        var hashB = Array.ConvertAll(newMiddle, JsonValues.Hash);
        var total = oldMiddle.Length + newMiddle.Length;
        var maxEdits = (int)Math.Min(MaxEditDistance, Math.Max(16, ArrayCostBudget / Math.Max(1, total)));
        var script = Myers.Script(oldMiddle.Length, newMiddle.Length, (x, y) => hashA[x] == hashB[y] && JsonValues.ValueEquals(oldMiddle[x], newMiddle[y]), maxEdits);
        if (script is null)
        {
            changes.Add(new JsonChange(ChangeKind.Replace, path, before, after));
            return;
        }

        EmitScript(script, oldMiddle, newMiddle, prefix, path, changes);
    }

    /// <summary>Turns an edit script into changes, tracking each element's index in the array as it is being patched.</summary>
    private static void EmitScript(List<Edit> script, JsonElement[] a, JsonElement[] b, int start, string path, List<JsonChange> changes)
    {
        int index = start, i = 0, j = 0, s = 0;
        while (s < script.Count)
        {
            if (script[s] == Edit.Keep)
            {
                index++;
                i++;
                j++;
                s++;
                continue;
            }

            int deletes = 0, inserts = 0;
            for (; s < script.Count && script[s] != Edit.Keep; s++)
            {
                if (script[s] == Edit.Delete)
                {
                    deletes++;
                }
                else
                {
                    inserts++;
                }
            }

            // A deleted element facing an inserted one is one element that changed: diff it in place.
            var pairs = Math.Min(deletes, inserts);
            for (var p = 0; p < pairs; p++, index++)
            {
                Diff(a[i + p], b[j + p], JsonPointer.Append(path, index), changes);
            }

            for (var p = pairs; p < deletes; p++)
            {
                changes.Add(new JsonChange(ChangeKind.Remove, JsonPointer.Append(path, index), a[i + p], default));
            }

            for (var p = pairs; p < inserts; p++, index++)
            {
                changes.Add(new JsonChange(ChangeKind.Add, JsonPointer.Append(path, index), default, b[j + p]));
            }

            i += deletes;
            j += inserts;
        }
    }

}
