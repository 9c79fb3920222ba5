using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>Writes the one-line summary of a change, naming the thing the way an operator would.</summary>
internal static class ChangeDescriber
{
    /// <summary>Per section, the keys that name a thing: a path below "/users/accounts/alice" is about "user alice".</summary>
    private static readonly Dictionary<string, (string Collection, string Noun)[]> Nouns = new(StringComparer.Ordinal)
    {
        ["users"] = [("accounts", "user"), ("groups", "group"), ("sudoers", "sudoers")],
        ["packages"] = [("", "package")],
        ["services"] = [("", "unit")],
        ["files"] = [("", "file")],
        ["scheduled"] = [("cron", "crontab"), ("scripts", "cron script"), ("timers", "timer")],
        ["os"] = [("sysctls", "sysctl"), ("modules", "kernel module"), ("mounts", "mount"), ("release", "os release"), ("kernel", "kernel"), ("hostname", "hostname")],
        ["network"] = [("interfaces", "interface"), ("routes", "route"), ("listening", "listening socket"), ("firewall", "firewall"), ("dns", "dns")],
        ["docker"] = [("containers", "container"), ("images", "image"), ("networks", "docker network"), ("volumes", "volume")],
        ["config"] = [("sshd", "sshd"), ("sysctl", "sysctl"), ("loginDefs", "login.defs"), ("pam", "pam"), ("fstab", "fstab"), ("limits", "limit"), ("modprobe", "modprobe"), ("problems", "unreadable config")],
    };

    private const int MaxValueLength = 80;

    public static string Describe(ChangeKind kind, IReadOnlyList<string> keys, JsonElement oldValue, JsonElement newValue)
    {
        var (thing, rest) = Name(keys);
        if (keys.Count == 2 && keys[0] == "files" && newValue.ValueKind == JsonValueKind.Object)
        {
            return kind == ChangeKind.Replace && oldValue.ValueKind == JsonValueKind.Object ? $"{thing}: {FileChange(oldValue, newValue)}" : $"{thing} added ({FileBrief(newValue)})";
        }

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
        var element = int.TryParse(rest[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
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
            _ when rest[^1] == "sha256" => $"{thing}: content changed",
            _ when field == "version" => $"{thing}: {Text(oldValue)} → {Text(newValue)}",
            _ => $"{thing}: {field} {Text(oldValue)} → {Text(newValue)}",
        };
    }

    private static (string Thing, IReadOnlyList<string> Remainder) Name(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return ("snapshot", []);
        }

        var section = keys[0];
        if (Nouns.TryGetValue(section, out var nouns))
        {
            foreach (var (collection, noun) in nouns)
            {
                if (collection.Length == 0 && keys.Count >= 2)
                {
                    return ($"{noun} {keys[1]}", keys.Skip(2).ToArray());
                }

                if (keys.Count >= 2 && keys[1] == collection)
                {
                    // A flat value ("/os/hostname") or a keyed collection ("/os/mounts/~1data").
                    return keys.Count >= 3 && !IsScalarGroup(collection) ? ($"{noun} {keys[2]}", keys.Skip(3).ToArray()) : (noun, keys.Skip(2).ToArray());
                }
            }
        }

        return keys.Count >= 2 ? ($"{section} {keys[1]}", keys.Skip(2).ToArray()) : (section, []);
    }

    private static bool IsScalarGroup(string collection) => collection is "release" or "kernel" or "hostname" or "dns" or "firewall" or "sshd" or "loginDefs" or "modprobe";

    /// <summary>"file 4755 root:root, 1,265,648 bytes": what an added path is.</summary>
    private static string FileBrief(JsonElement entry)
    {
        string Field(string name) => entry.TryGetProperty(name, out var value) ? Text(value) : "?";
        var brief = $"{Field("type")} {(entry.TryGetProperty("mode", out _) ? Field("mode") + " " : "")}{Field("owner")}:{Field("group")}";
        return entry.TryGetProperty("size", out var size) ? $"{brief}, {size.GetInt64():N0} bytes" : entry.TryGetProperty("target", out _) ? $"{brief} → {Field("target")}" : brief;
    }

    /// <summary>"content changed, 3,223 → 5,191 bytes; mode 0755 → 4755" for a file entry whose content changed.</summary>
    private static string FileChange(JsonElement oldValue, JsonElement newValue)
    {
        var parts = new List<string>();
        var oldSize = oldValue.TryGetProperty("size", out var a) ? a.GetInt64() : (long?)null;
        var newSize = newValue.TryGetProperty("size", out var b) ? b.GetInt64() : (long?)null;
        parts.Add(oldSize is null || newSize is null ? "content changed"
            : oldSize == newSize ? $"content changed, same size ({newSize:N0} bytes)"
            : $"content changed, {oldSize:N0} → {newSize:N0} bytes");
        foreach (var field in new[] { "mode", "owner", "group", "uid", "gid", "error" })
        {
            var had = oldValue.TryGetProperty(field, out var before);
            var has = newValue.TryGetProperty(field, out var after);
            if (had != has || (had && !JsonElement.DeepEquals(before, after)))
            {
                parts.Add($"{field} {Text(before)} → {Text(after)}");
            }
        }

        return string.Join("; ", parts);
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
    internal static string Text(JsonElement value)
    {
        return Cut(FullText(value));
    }

    private static string Cut(string text) => Excerpt.Cut(text, MaxValueLength);

    /// <summary>A value as rules see it: a string as is, anything else as compact canonical JSON; never cut.</summary>
    internal static string FullText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "(none)",
        JsonValueKind.String => value.GetString()!,
        _ => System.Text.Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(value, indented: false)),
    };
}
