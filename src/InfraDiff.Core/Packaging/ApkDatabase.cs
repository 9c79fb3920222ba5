namespace InfraDiff.Packaging;

/// <summary>
/// apk's installed database (<c>/lib/apk/db/installed</c>): per package "P:" its name, "F:" a directory, "R:" a
/// file in it, "Z:" that file's checksum ("Q1" and base64 SHA-1). apk protects /etc, so files there count as configuration.
/// </summary>
internal static class ApkDatabase
{
    public const string Path = "/lib/apk/db/installed";

    public static IEnumerable<(string Path, PackageFile File)> Parse(string text)
    {
        string? package = null;
        string? directory = null;
        string? file = null;
        string? digest = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != ':')
            {
                if (line.Length == 0)
                {
                    foreach (var entry in Flush())
                    {
                        yield return entry;
                    }

                    package = null;
                    directory = null;
                }

                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'P':
                    package = value;
                    break;
                case 'F':
                    foreach (var entry in Flush())
                    {
                        yield return entry;
                    }

                    directory = value;
                    break;
                case 'R':
                    foreach (var entry in Flush())
                    {
                        yield return entry;
                    }

                    file = value;
                    break;
                case 'Z':
                    digest = value;
                    break;
            }
        }

        foreach (var entry in Flush())
        {
            yield return entry;
        }

        IEnumerable<(string, PackageFile)> Flush()
        {
            if (package is not null && file is not null)
            {
                var path = "/" + (string.IsNullOrEmpty(directory) ? file : directory + "/" + file);
                yield return (path, new PackageFile(package, Sha1Hex(digest), path.StartsWith("/etc/", StringComparison.Ordinal)));
            }

            file = null;
            digest = null;
        }
    }

    /// <summary>"Q1" + base64 of the SHA-1, as hex; null for any other form.</summary>
    internal static string? Sha1Hex(string? checksum)
    {
        if (checksum is null || !checksum.StartsWith("Q1", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(checksum[2..]);
            return bytes.Length == 20 ? Convert.ToHexStringLower(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
