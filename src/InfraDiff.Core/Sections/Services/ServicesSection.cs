namespace InfraDiff.Sections.Services;

/// <summary>What the <c>services</c> section means: systemd units keyed by name, their files and, on a running systemd, their states.</summary>
internal sealed class ServicesSection : SectionDescriptor
{
    public static ServicesSection Instance { get; } = new();

    private ServicesSection()
        : base("services")
    {
        Nouns = [new("", "unit")];
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["runtime"] = ["/services/*/load", "/services/*/active", "/services/*/sub"] };
        SeverityRules =
        [
            // What runs: a new unit, or one enabled.
            SeverityRule.Of("/services/*", Severity.High, [ChangeKind.Add], "path !~ ^/services/[^/]+/"),
            SeverityRule.Of("/services/*/unitFile", Severity.High, [ChangeKind.Add, ChangeKind.Replace], "new =~ ^enabled"),
            SeverityRule.Of("/services", Severity.Medium),
        ];
    }
}
