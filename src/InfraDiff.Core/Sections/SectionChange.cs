using System.Text.Json;

namespace InfraDiff.Sections;

/// <summary>One change in a section, as its descriptor is asked to summarize it.</summary>
public sealed class SectionChange
{
    internal SectionChange(ChangeKind kind, string path, IReadOnlyList<string> keys, JsonElement oldValue, JsonElement newValue)
    {
        Kind = kind;
        Path = path;
        Keys = keys;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>Added, removed or replaced.</summary>
    public ChangeKind Kind { get; }

    /// <summary>The RFC 6901 pointer to the value ("/users/accounts/alice/shell").</summary>
    public string Path { get; }

    /// <summary>The path's keys below the section, unescaped: ["accounts", "alice", "shell"].</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The value before; undefined when added.</summary>
    public JsonElement OldValue { get; }

    /// <summary>The value after; undefined when removed.</summary>
    public JsonElement NewValue { get; }
}
