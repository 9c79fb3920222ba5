using System.Text.Json.Serialization;

namespace InfraDiff;

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
