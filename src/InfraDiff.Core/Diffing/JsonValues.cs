using System.Runtime.InteropServices;
using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>Equality and hashing of JSON values as <see cref="JsonElement.DeepEquals"/> sees them.</summary>
internal static class JsonValues
{
    /// <summary>Byte equality of the two values as written: the fast path, since canonical snapshots write equal values identically.</summary>
    public static bool RawEquals(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && JsonMarshal.GetRawUtf8Value(a).SequenceEqual(JsonMarshal.GetRawUtf8Value(b));

    /// <summary>Whether two values are equal as JSON: the same bytes, else deep equality.</summary>
    public static bool ValueEquals(JsonElement a, JsonElement b) => RawEquals(a, b) || JsonElement.DeepEquals(a, b);

    /// <summary>A hash consistent with <see cref="JsonElement.DeepEquals"/>: object members in any order, numbers by value.</summary>
    public static int Hash(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var sum = 17;
                foreach (var property in element.EnumerateObject())
                {
                    sum += HashCode.Combine(property.Name, Hash(property.Value));
                }

                return sum;
            case JsonValueKind.Array:
                var hash = new HashCode();
                foreach (var item in element.EnumerateArray())
                {
                    hash.Add(Hash(item));
                }

                return hash.ToHashCode();
            case JsonValueKind.String:
                return element.GetString()!.GetHashCode(StringComparison.Ordinal);
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) ? number.GetHashCode() : 0;
            default:
                return (int)element.ValueKind;
        }
    }
}
