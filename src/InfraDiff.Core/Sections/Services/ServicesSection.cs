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
        EventFields = ["load", "active", "sub"];
        SeverityRules =
        [
            // What runs: a new unit, or one enabled.
            SeverityRule.Of("/services/*", Severity.High, [ChangeKind.Add], "path !~ ^/services/[^/]+/"),
            SeverityRule.Of("/services/*/unitFile", Severity.High, [ChangeKind.Add, ChangeKind.Replace], "new =~ ^enabled"),
            SeverityRule.Of("/services", Severity.Medium),
        ];
    }

    /// <summary>"unit ssh.service stopped (active/running → inactive/dead)": what the states say happened, then the states.</summary>
    public override string SummarizeEvent(IReadOnlyList<SectionChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var active = changes.FirstOrDefault(c => c.Keys[^1] == "active");
        var what = active?.NewValue.ValueKind == System.Text.Json.JsonValueKind.String ? active.NewValue.GetString() switch
        {
            "active" => " started",
            "inactive" => " stopped",
            "failed" => " failed",
            "activating" => " starting",
            "deactivating" => " stopping",
            "reloading" => " reloading",
            _ => null,
        }
        : null;
        return what is null
            ? base.SummarizeEvent(changes)
            : $"unit {changes[0].Keys[0]}{what} ({ChangeDescriber.EventValues(changes, c => c.OldValue)} → {ChangeDescriber.EventValues(changes, c => c.NewValue)})";
    }
}
