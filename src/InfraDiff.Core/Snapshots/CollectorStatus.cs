using System.Text.Json.Serialization;

namespace InfraDiff.Snapshots;

/// <summary>The outcome of one collector.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CollectorStatus>))]
public enum CollectorStatus
{
    /// <summary>The section was collected.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The collector threw; no section.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The collector ran past its timeout; no section.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>The source does not exist on this host (no tool, no engine); no section, and not a failure.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}
