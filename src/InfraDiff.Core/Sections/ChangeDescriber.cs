using System.Globalization;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Sections;

/// <summary>Writes the one-line summary of a change, naming the thing by its section's nouns, the way an operator would.</summary>
internal static class ChangeDescriber
{
    private const int MaxValueLength = 80;

    public static string Describe(SectionDescriptor section, SectionChange change)
    {
        var (kind, keys, oldValue, newValue) = (change.Kind, change.Keys, change.OldValue, change.NewValue);
        var (thing, rest) = Name(section, keys);
        if (rest.Count == 0)
        {
            return kind switch
            {
                ChangeKind.Add => $"{thing} added{Brief(newValue)}",
                ChangeKind.Remove => $"{thing} removed",
                _ => $"{thing}: {Text(oldValue)} → {Text(newValue)}",
            };
        }

        // An array element is named by its value, not its index: "sudoers /etc/sudoers: entry added: alice ALL=(ALL) ALL".
        var element = int.TryParse(rest[^1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        var fieldKeys = element ? rest.Take(rest.Count - 1) : rest;
        var field = string.Join('/', fieldKeys);
        if (element)
        {
            field = field.Length == 0 ? "entry" : field;
            return kind switch
            {
                ChangeKind.Add => $"{thing}: {field} added: {Text(newValue)}",
                ChangeKind.Remove => $"{thing}: {field} removed: {Text(oldValue)}",
                _ => $"{thing}: {field} {Text(oldValue)} → {Text(newValue)}",
            };
        }

        return kind switch
        {
            ChangeKind.Add => $"{thing}: {field} added{Brief(newValue, field)}",
            ChangeKind.Remove => $"{thing}: {field} removed",
            // A digest's change says the content changed, in any section (a cron script's "sha256" too).
            _ when rest[^1] == "sha256" || rest[^1] == section.ContentField => $"{thing}: content changed",
            _ when field == "version" => $"{thing}: {Text(oldValue)} → {Text(newValue)}",
            _ => $"{thing}: {field} {Text(oldValue)} → {Text(newValue)}",
        };
    }

    /// <summary>"unit ssh.service: active/sub active/running → inactive/dead": one entry's event fields, replaced together.</summary>
    public static string DescribeEvent(SectionDescriptor section, IReadOnlyList<SectionChange> changes)
    {
        var (thing, _) = Name(section, [.. changes[0].Keys.SkipLast(1)]);
        return $"{thing}: {string.Join('/', changes.Select(c => c.Keys[^1]))} {EventValues(changes, c => c.OldValue)} → {EventValues(changes, c => c.NewValue)}";
    }

    /// <summary>"active/running": the fields' values, joined as systemctl shows a unit's states.</summary>
    public static string EventValues(IReadOnlyList<SectionChange> changes, Func<SectionChange, JsonElement> value) =>
        string.Join('/', changes.Select(c => Text(value(c))));

    /// <summary>The noun that names the thing at <paramref name="keys"/> (the section's keys, below its name) and the thing's name; nulls when no noun does.</summary>
    public static (SectionNoun? Noun, string? Name) Thing(SectionDescriptor section, IReadOnlyList<string> keys)
    {
        foreach (var noun in section.Nouns)
        {
            if (keys.Count >= 1 && noun.Collection.Length == 0)
            {
                return (noun, keys[0]);
            }

            if (keys.Count >= 2 && keys[0] == noun.Collection && noun.Keyed)
            {
                return (noun, keys[1]);
            }
        }

        return (null, null);
    }

    /// <summary>The thing a change is about ("user alice"), and the keys below it.</summary>
    private static (string Thing, IReadOnlyList<string> Remainder) Name(SectionDescriptor section, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return (section.Name, []);
        }

        foreach (var noun in section.Nouns)
        {
            if (noun.Collection.Length == 0)
            {
                return ($"{noun.Noun} {keys[0]}", keys.Skip(1).ToArray());
            }

            if (keys[0] == noun.Collection)
            {
                // A keyed collection ("/os/mounts/~1data") or one thing ("/os/kernel/release").
                return keys.Count >= 2 && noun.Keyed ? ($"{noun.Noun} {keys[1]}", keys.Skip(2).ToArray()) : (noun.Noun, keys.Skip(1).ToArray());
            }
        }

        return ($"{section.Name} {keys[0]}", keys.Skip(1).ToArray());
    }

    /// <summary>
    /// For an added object, what identifies it: a package's version, an account's uid, a setting's value, the
    /// fingerprints of added keys; for a scalar, the value itself.
    /// </summary>
    private static string Brief(JsonElement value, string field = "")
    {
        if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            return $" ({Text(value)})";
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        foreach (var name in new[] { "version", "value" })
        {
            if (value.TryGetProperty(name, out var identifying))
            {
                return $" ({Text(identifying)})";
            }
        }

        if (value.TryGetProperty("uid", out var uid))
        {
            return $" (uid {Text(uid)})";
        }

        return field == "authorizedKeys" ? $" ({Cut(string.Join(", ", value.EnumerateObject().Select(p => p.Name)))})" : "";
    }

    /// <summary>A value for a summary line, cut at 80 characters.</summary>
    public static string Text(JsonElement value) => Cut(FullText(value));

    private static string Cut(string text) => Excerpt.Cut(text, MaxValueLength);

    /// <summary>A value as rules see it: a string as is, anything else as compact canonical JSON; never cut.</summary>
    public static string FullText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "(none)",
        JsonValueKind.String => value.GetString()!,
        _ => System.Text.Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(value, indented: false)),
    };
}
