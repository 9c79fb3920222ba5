using InfraDiff.Host;

namespace InfraDiff.Sections.Packages;

/// <summary>The <c>packages</c> section: installed packages keyed by name, from dpkg, apk or rpm, whichever the host has.</summary>
internal sealed class PackagesCollector : ICollector
{
    public string Name => PackagesSection.Instance.Name;

    public SectionDescriptor Section => PackagesSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        // dpkg and apk keep plain-text databases, read directly (and so under --root too); rpm's needs rpm itself.
        if (context.Files.ReadTextOrNull("/var/lib/dpkg/status") is { } dpkg)
        {
            return PackageParsers.KeyByName(PackageParsers.ParseDpkgStatus(dpkg));
        }

        if (context.Files.ReadTextOrNull("/lib/apk/db/installed") is { } apk)
        {
            return PackageParsers.KeyByName(PackageParsers.ParseApkInstalled(apk));
        }

        if (Packaging.RpmDatabase.Find(context.Files) is { } dbpath)
        {
            var output = await context.Commands.RunCheckedAsync(
                "rpm",
                ["-qa", "--root", context.Files.Root, "--dbpath", dbpath, "--qf", PackageParsers.RpmQueryFormat],
                cancellationToken).ConfigureAwait(false);
            return PackageParsers.KeyByName(PackageParsers.ParseRpmQuery(output));
        }

        throw new CollectorUnavailableException("no package database found (dpkg, apk or rpm)");
    }
}
