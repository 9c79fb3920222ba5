namespace InfraDiff.Sections.Packages;

/// <summary>What the <c>packages</c> section means: installed packages keyed by name ("name:arch" for dpkg's Multi-Arch: same).</summary>
internal sealed class PackagesSection : SectionDescriptor
{
    public const string SectionName = "packages";

    /// <summary>The field that holds a package's version.</summary>
    public const string VersionField = "version";

    public static PackagesSection Instance { get; } = new();

    private PackagesSection()
        : base(SectionName)
    {
        Inputs = ["/var/lib/dpkg/status", "/lib/apk/db/installed", "/var/lib/rpm"];
        Nouns = [new("", "package") { EcsField = "package.name" }];
        EcsCategory = "package";
        SeverityRules = [SeverityRule.Of("/packages", Severity.Medium)];
    }
}
