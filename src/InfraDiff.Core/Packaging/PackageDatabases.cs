using InfraDiff.Host;
using InfraDiff.Sections;

namespace InfraDiff.Packaging;

/// <summary>Finds the host's package database (dpkg, apk, rpm: the same order as the packages section) and indexes its files.</summary>
internal static class PackageDatabases
{
    /// <summary>Where the databases keep what they own: a change beneath one means the index is to be read again.</summary>
    public static readonly string[] Paths = ["/var/lib/dpkg/", "/lib/apk/db/", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/"];

    /// <exception cref="InfraDiffException">The database exists but could not be read; the message says why.</exception>
    public static async Task<PackageFileIndex> LoadAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        if (DpkgDatabase.Read(context.Files) is { } dpkg)
        {
            return dpkg;
        }

        if (context.Files.ReadTextOrNull(ApkDatabase.Path) is { } apk)
        {
            return new PackageFileIndex("apk", DigestAlgorithm.Sha1, PackageFileIndex.OnDisk(context.Files, ApkDatabase.Parse(apk)));
        }

        if (RpmDatabase.Find(context.Files) is { } dbpath)
        {
            var output = await context.Commands.RunCheckedAsync("rpm", ["-qa", "--root", context.Files.Root, "--dbpath", dbpath, "--queryformat", RpmDatabase.QueryFormat], cancellationToken).ConfigureAwait(false);
            var (algorithm, files) = RpmDatabase.Parse(output);
            return new PackageFileIndex("rpm", algorithm, PackageFileIndex.OnDisk(context.Files, files));
        }

        return PackageFileIndex.None;
    }
}
