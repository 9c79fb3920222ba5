using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>A raw difference at one path, before rules give it a severity and a summary.</summary>
internal readonly record struct JsonChange(ChangeKind Kind, string Path, JsonElement OldValue, JsonElement NewValue);
