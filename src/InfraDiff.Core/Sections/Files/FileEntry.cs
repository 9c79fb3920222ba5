using System.Text.Json;

namespace InfraDiff.Sections.Files;

/// <summary>
/// One path in the <c>files</c> section, written and read by this type alone (<see cref="WriteTo"/>, <see cref="Read"/>):
/// every other place names its fields through <see cref="Fields"/>. No atime, mtime, ctime or inode: they are noise in a
/// diff; content changes show in the hash.
/// </summary>
internal sealed record FileEntry(
    string Type,
    string? Mode,
    long Uid,
    string? Owner,
    long Gid,
    string? Group,
    long? Size,
    string? Sha256,
    string? Target,
    string? Error,
    string? Package = null,
    bool? Verified = null,
    bool? Conffile = null)
{
    /// <summary>The entry's field names, as the section holds them.</summary>
    public static class Fields
    {
        public const string Conffile = "conffile";
        public const string Error = "error";
        public const string Gid = "gid";
        public const string Group = "group";
        public const string Mode = "mode";
        public const string Owner = "owner";
        public const string Package = "package";
        public const string Sha256 = "sha256";
        public const string Size = "size";
        public const string Target = "target";
        public const string Type = "type";
        public const string Uid = "uid";
        public const string Verified = "verified";
    }

    /// <summary>The entry's types, as <see cref="Type"/> holds them.</summary>
    public static class Types
    {
        public const string File = "file";
        public const string Directory = "dir";
        public const string Symlink = "symlink";
        public const string Other = "other";
    }

    private static readonly JsonEncodedText ConffileName = JsonEncodedText.Encode(Fields.Conffile);
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode(Fields.Error);
    private static readonly JsonEncodedText GidName = JsonEncodedText.Encode(Fields.Gid);
    private static readonly JsonEncodedText GroupName = JsonEncodedText.Encode(Fields.Group);
    private static readonly JsonEncodedText ModeName = JsonEncodedText.Encode(Fields.Mode);
    private static readonly JsonEncodedText OwnerName = JsonEncodedText.Encode(Fields.Owner);
    private static readonly JsonEncodedText PackageName = JsonEncodedText.Encode(Fields.Package);
    private static readonly JsonEncodedText Sha256Name = JsonEncodedText.Encode(Fields.Sha256);
    private static readonly JsonEncodedText SizeName = JsonEncodedText.Encode(Fields.Size);
    private static readonly JsonEncodedText TargetName = JsonEncodedText.Encode(Fields.Target);
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode(Fields.Type);
    private static readonly JsonEncodedText UidName = JsonEncodedText.Encode(Fields.Uid);
    private static readonly JsonEncodedText VerifiedName = JsonEncodedText.Encode(Fields.Verified);

    /// <summary>Whether the entry is a folder.</summary>
    public bool IsDirectory => Type == Types.Directory;

    /// <summary>Writes the entry as a JSON object: names in ordinal order, null values left out.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Conffile is { } conffile)
        {
            writer.WriteBoolean(ConffileName, conffile);
        }

        WriteIfSet(writer, ErrorName, Error);
        writer.WriteNumber(GidName, Gid);
        WriteIfSet(writer, GroupName, Group);
        WriteIfSet(writer, ModeName, Mode);
        WriteIfSet(writer, OwnerName, Owner);
        WriteIfSet(writer, PackageName, Package);
        WriteIfSet(writer, Sha256Name, Sha256);
        if (Size is { } size)
        {
            writer.WriteNumber(SizeName, size);
        }

        WriteIfSet(writer, TargetName, Target);
        writer.WriteString(TypeName, Type);
        writer.WriteNumber(UidName, Uid);
        if (Verified is { } verified)
        {
            writer.WriteBoolean(VerifiedName, verified);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The entry a snapshot holds, or null for anything that is not an entry object (a value absent on one side). A field
    /// of another JSON type than the one written reads as absent: a snapshot is untrusted input.
    /// </summary>
    public static FileEntry? Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new FileEntry(
            String(value, Fields.Type) ?? "",
            String(value, Fields.Mode),
            Number(value, Fields.Uid) ?? -1,
            String(value, Fields.Owner),
            Number(value, Fields.Gid) ?? -1,
            String(value, Fields.Group),
            Number(value, Fields.Size),
            String(value, Fields.Sha256),
            String(value, Fields.Target),
            String(value, Fields.Error),
            String(value, Fields.Package),
            Boolean(value, Fields.Verified),
            Boolean(value, Fields.Conffile));
    }

    private static string? String(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static bool? Boolean(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
