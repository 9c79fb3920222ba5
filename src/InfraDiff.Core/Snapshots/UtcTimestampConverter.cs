using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Snapshots;

/// <summary>Writes every timestamp as UTC ISO 8601 with a Z ("2026-11-27T14:00:00Z"), so one instant always has one spelling.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>Reads an ISO 8601 time with an explicit offset ("…Z" or "…+02:00"); anything else is a <see cref="JsonException"/> naming it.</summary>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null && text.Length >= 20 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        throw new JsonException($"'{(text is null ? reader.TokenType.ToString() : text.Length > 40 ? text[..40] + "…" : text)}' is not an ISO 8601 time with a time zone (2026-11-27T14:00:00Z)");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
