using System.Text.Json.Serialization;

namespace InfraDiff.Monitoring;

/// <summary>What a drift is measured against.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriftReference>))]
public enum DriftReference
{
    /// <summary>The previous snapshot: each change alerts once.</summary>
    [JsonStringEnumMemberName("previous")]
    Previous,

    /// <summary>The baseline: alerts while drift persists, repeated no more often than <see cref="DriftMonitorOptions.RepeatAfter"/>.</summary>
    [JsonStringEnumMemberName("baseline")]
    Baseline,
}
