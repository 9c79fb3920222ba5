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
