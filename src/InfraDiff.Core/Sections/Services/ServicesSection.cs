namespace InfraDiff.Sections.Services;

/// <summary>What the <c>services</c> section means: systemd units keyed by name, their files and, on a running systemd, their states.</summary>
internal sealed class ServicesSection : SectionDescriptor
{
    public static ServicesSection Instance { get; } = new();

    private ServicesSection()
        : base("services")
    {
        Inputs = ["/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system", "/usr/local/lib/systemd/system", "/etc/systemd/system-preset", "/usr/lib/systemd/system-preset", "/lib/systemd/system-preset"];
        Nouns = [new("", "unit") { EcsField = "service.name" }];
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["runtime"] = ["/services/*/load", "/services/*/active", "/services/*/sub"] };
        EventFields = ["load", "active", "sub"];
        SeverityRules =
        [
            // What runs: a new unit, or one enabled.
            SeverityRule.Of("/services/*", Severity.High, [ChangeKind.Add], "path !~ ^/services/[^/]+/"),
            SeverityRule.Of("/services/*/unitFile", Severity.High, [ChangeKind.Add, ChangeKind.Replace], "new =~ ^enabled"),
            SeverityRule.Of("/services", Severity.Medium),
        ];
    }

    /// <summary>
    /// "unit ssh.service stopped (active/running → inactive/dead)": what the states say happened, then the states; a
    /// unit systemd loads or unloads has none on one side ("not loaded").
    /// </summary>
    public override string SummarizeEvent(IReadOnlyList<SectionChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var active = changes.FirstOrDefault(c => c.Keys[^1] == "active");
        var state = active?.NewValue.ValueKind == System.Text.Json.JsonValueKind.String ? active.NewValue.GetString() : null;
        var what = active?.Kind == ChangeKind.Remove ? " unloaded" : state switch
        {
            "active" => " started",
            "inactive" => active!.Kind == ChangeKind.Add ? " loaded" : " stopped",
            "failed" => " failed",
            "activating" => " starting",
            "deactivating" => " stopping",
            "reloading" => " reloading",
            _ => null,
        };
        if (what is null)
        {
            return base.SummarizeEvent(changes);
        }

        var before = changes.All(c => c.Kind == ChangeKind.Add) ? "not loaded" : ChangeDescriber.EventValues(changes, c => c.OldValue);
        var after = changes.All(c => c.Kind == ChangeKind.Remove) ? "not loaded" : ChangeDescriber.EventValues(changes, c => c.NewValue);
        return $"unit {changes[0].Keys[0]}{what} ({before} → {after})";
    }
}
