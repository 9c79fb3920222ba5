using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Diffing;

/// <summary>One RFC 6902 operation.</summary>
/// <param name="Op">add, remove, replace or test.</param>
/// <param name="Path">An RFC 6901 JSON Pointer.</param>
/// <param name="Value">The new value (add, replace) or the expected old value (test); absent for remove.</param>
public sealed record PatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement Value = default);

/// <summary>The kind of change the differ found at one path.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>A value that was not there before.</summary>
    [JsonStringEnumMemberName("add")]
    Add,

    /// <summary>A value that is gone.</summary>
    [JsonStringEnumMemberName("remove")]
    Remove,

    /// <summary>A value that is different.</summary>
    [JsonStringEnumMemberName("replace")]
    Replace,
}

/// <summary>A raw difference at one path, before rules give it a severity and a summary.</summary>
internal readonly record struct JsonChange(ChangeKind Kind, string Path, JsonElement OldValue, JsonElement NewValue);
