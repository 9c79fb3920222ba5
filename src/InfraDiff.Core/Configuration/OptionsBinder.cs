using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace InfraDiff.Configuration;

/// <summary>
/// Binds an options object from a configuration section as the options pattern does, with infradiff's own grammar
/// where it differs: a duration reads as "5m" as well as "00:05:00" (<see cref="Duration"/>, at any depth, in a
/// dictionary of durations too), and a list given replaces the default list rather than being appended to it.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(IConfiguration section, object options)
    {
        var values = section.AsEnumerable(makePathsRelative: true).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var path = section is IConfigurationSection named ? named.Path : "";
        Prepare(options, "", values, path);
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(options);
    }

    /// <summary>Sets the durations from <paramref name="values"/> (and takes them out), and empties each list the section gives, at every depth.</summary>
    private static void Prepare(object options, string prefix, Dictionary<string, string?> values, string path)
    {
        foreach (var property in options.GetType().GetProperties().Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var key = prefix + property.Name;
            if (property.PropertyType == typeof(TimeSpan))
            {
                if (values.Remove(key, out var text))
                {
                    property.SetValue(options, Read($"{path}:{key}", text!));
                }
            }
            else if (property.PropertyType == typeof(IReadOnlyDictionary<string, TimeSpan>))
            {
                var entries = values.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList();
                if (entries.Count > 0)
                {
                    property.SetValue(options, entries.ToDictionary(k => k[(key.Length + 1)..], k => Read($"{path}:{k}", values[k]!), StringComparer.Ordinal));
                    entries.ForEach(k => values.Remove(k));
                }
            }
            else if (property.PropertyType == typeof(IReadOnlyList<string>) || property.PropertyType == typeof(IReadOnlyCollection<string>))
            {
                if (values.Keys.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
                {
                    property.SetValue(options, Array.Empty<string>());
                }
            }
            else if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("InfraDiff", StringComparison.Ordinal) == true && property.GetValue(options) is { } nested)
            {
                Prepare(nested, key + ":", values, path);
            }
        }
    }

    private static TimeSpan Read(string key, string text) =>
        Duration.TryParse(text, out var value) || TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) ? value
        : throw new InvalidOptionException(key.TrimStart(':'), $"must be a duration such as 300, 30s, 5m, 1h or 00:05:00, not '{Excerpt.Cut(text)}'");
}
