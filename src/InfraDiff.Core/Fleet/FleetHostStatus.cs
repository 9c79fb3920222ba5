using System.Text.Json.Serialization;

namespace InfraDiff.Fleet;

/// <summary>Where a host of a fleet stands against its own baseline.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FleetHostStatus>))]
public enum FleetHostStatus
{
    /// <summary>The same as its baseline.</summary>
    [JsonStringEnumMemberName("clean")]
    Clean,

    /// <summary>Changed since its baseline.</summary>
    [JsonStringEnumMemberName("drifted")]
    Drifted,

    /// <summary>It had no baseline: this snapshot became it.</summary>
    [JsonStringEnumMemberName("baselined")]
    Baselined,

    /// <summary>No snapshot came back (or its baseline could not be read); the reason says why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
