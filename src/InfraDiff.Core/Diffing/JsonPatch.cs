using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>
/// RFC 6902 JSON Patch between two JSON values, by the engine behind every infradiff report: applied in order to the
/// first value, the operations yield the second; each replace and remove is preceded by a test of the old value, so
/// a patch applied to a document that has moved on fails instead of corrupting it. Objects are compared member by
/// member; arrays by a shortest edit script over element hashes (Myers), replaced whole past a cost bound so a huge
/// array with many edits cannot stall the diff. Equal values (numbers by value, objects in any member order) give
/// no operation. The operations' values are the inputs' own elements: keep the documents undisposed while you use them.
/// </summary>
public static class JsonPatch
{
    /// <summary>The operations that turn <paramref name="before"/> into <paramref name="after"/>; empty when they are equal.</summary>
    public static IReadOnlyList<PatchOperation> Create(JsonElement before, JsonElement after) => From(JsonDiffer.Diff(before, after));

    /// <summary>The operations that turn one document into the other; empty when they are equal.</summary>
    public static IReadOnlyList<PatchOperation> Create(JsonDocument before, JsonDocument after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Create(before.RootElement, after.RootElement);
    }

    /// <summary>The RFC 6902 operations for changes, each replace and remove preceded by a test of the old value.</summary>
    internal static List<PatchOperation> From(IEnumerable<JsonChange> changes)
    {
        var operations = new List<PatchOperation>();
        foreach (var change in changes)
        {
            if (change.Kind != ChangeKind.Add)
            {
                operations.Add(new PatchOperation("test", change.Path, change.OldValue));
            }

            operations.Add(change.Kind switch
            {
                ChangeKind.Add => new PatchOperation("add", change.Path, change.NewValue),
                ChangeKind.Remove => new PatchOperation("remove", change.Path),
                _ => new PatchOperation("replace", change.Path, change.NewValue),
            });
        }

        return operations;
    }
}
