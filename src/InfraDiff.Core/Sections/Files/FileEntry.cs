using System.Text.Json;

namespace InfraDiff.Sections.Files;

/// <summary>One path in the <c>files</c> section. No atime, mtime, ctime or inode: they are noise in a diff; content changes show in the hash.</summary>
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
    /// <summary>Writes the entry as a JSON object: names in ordinal order, null values left out.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Conffile is { } conffile)
        {
            writer.WriteBoolean("conffile"u8, conffile);
        }

        WriteIfSet(writer, "error"u8, Error);
        writer.WriteNumber("gid"u8, Gid);
        WriteIfSet(writer, "group"u8, Group);
        WriteIfSet(writer, "mode"u8, Mode);
        WriteIfSet(writer, "owner"u8, Owner);
        WriteIfSet(writer, "package"u8, Package);
        WriteIfSet(writer, "sha256"u8, Sha256);
        if (Size is { } size)
        {
            writer.WriteNumber("size"u8, size);
        }

        WriteIfSet(writer, "target"u8, Target);
        writer.WriteString("type"u8, Type);
        writer.WriteNumber("uid"u8, Uid);
        if (Verified is { } verified)
        {
            writer.WriteBoolean("verified"u8, verified);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
