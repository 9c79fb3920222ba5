using System.Text.Json.Serialization;

namespace InfraDiff;

/// <summary>How much a change matters.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Worth a look.</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Software and service changes.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium,

    /// <summary>Who can log in or reach the host, and what runs as root.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>A new way to be root.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}
