using System.Text.Json;

namespace InfraDiff.Sections;

/// <summary>
/// What a section means, declared once beside its collector: how a report line names its things, how severe a change
/// to them is unless an operator's rule says otherwise, which values each of its parts holds, and which field of an
/// entry stands for its content. The differ and every report read a section's meaning from here and nowhere else, so
/// a custom collector's section is summarized, ranked and compared like a built-in one.
/// </summary>
/// <remarks>
/// Derive from it to write a section's summaries yourself (<see cref="Summarize"/>); otherwise set its properties:
/// <code>new SectionDescriptor("kernelCmdline") { Nouns = [new("", "kernel parameter")], SeverityRules = [new("/kernelCmdline/init", Severity.Critical)] }</code>
/// </remarks>
public class SectionDescriptor
{
    /// <summary>A section named <paramref name="name"/> (its collector's name, its top-level key in a snapshot).</summary>
    /// <exception cref="ArgumentException">The name is empty or reserved.</exception>
    public SectionDescriptor(string name)
        : this(Checked(name), JsonPointer.Append("", name))
    {
    }

    private SectionDescriptor(string name, string path, bool declared = true)
    {
        Name = name;
        Path = path;
        Declared = declared;
    }

    /// <summary>
    /// A section nobody declared the meaning of, whatever its name (a snapshot is untrusted input: "" is a key too): a
    /// collector that does not describe its section has this, and a comparison keeps the built-in meaning of its name.
    /// </summary>
    internal static SectionDescriptor Undeclared(string name) => new(name, JsonPointer.Append("", name), declared: false);

    /// <summary>Whether someone declared this section's meaning (false: a collector left its section undescribed).</summary>
    internal bool Declared { get; }

    private static string Checked(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name is "schemaVersion" or "metadata" ? throw new ArgumentException($"'{name}' is reserved and cannot name a section", nameof(name)) : name;
    }

    /// <summary>The section's name: its key in a snapshot, and its category in a report.</summary>
    public string Name { get; }

    /// <summary>The section's JSON Pointer ("/users").</summary>
    public string Path { get; }

    /// <summary>
    /// The host files the section is read from: paths, each covering what lies beneath it, "*" within one name
    /// ("/etc/passwd", "/home/*/.ssh"). Real-time watching re-reads the section at once when one of them changes, and
    /// names who changed it; a section with none (read from a daemon or the kernel) is re-read by full cycles only.
    /// </summary>
    public IReadOnlyList<string> Inputs
    {
        get => inputs;
        init
        {
            inputs = value ?? [];
            inputGlobs = null;
        }
    }

    private IReadOnlyList<string> inputs = [];
    private PointerGlob[]? inputGlobs;

    /// <summary>Whether <paramref name="hostPath"/> is one of <see cref="Inputs"/> or lies beneath one.</summary>
    internal bool Reads(string hostPath)
    {
        inputGlobs ??= [.. inputs.Select(i => new PointerGlob(i))];
        foreach (var glob in inputGlobs)
        {
            if (glob.Matches(hostPath))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The collections whose keys name a thing, tried in order: <c>("accounts", "user")</c> makes a change below
    /// <c>/users/accounts/alice</c> a line about "user alice"; a noun for the collection "" names the section's own
    /// keys ("package openssl"). Empty: a line names the section and its key ("kernelCmdline quiet").
    /// </summary>
    public IReadOnlyList<SectionNoun> Nouns { get; init; } = [];

    /// <summary>
    /// The section's default severity rules, tried in order after the operator's (the first that matches wins; a
    /// change no rule matches is low). Each rule's path must lie in this section.
    /// </summary>
    public IReadOnlyList<SeverityRule> SeverityRules { get; init; } = [];

    /// <summary>
    /// Parts whose values sit beside others rather than under a key of their own: the part a collector reports
    /// unavailable or failed (<see cref="CollectionContext.ReportFailed"/>) → the JSON Pointer globs of the values it
    /// holds, which are then not compared. A part not listed here holds the values under its own key (a dotted part
    /// "firewall.iptables" is <c>/network/firewall/iptables</c>; a pointer part "accounts/alice/authorizedKeys" is that path).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parts { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// The field of the section's entries that stands for their content: when it changes, every change below the object
    /// that holds it is one change of that whole object (the files section's <c>sha256</c>: a file's new hash, size and
    /// mode are one change of the file). Null: none.
    /// </summary>
    public string? ContentField { get; init; }

    /// <summary>
    /// Fields of an entry that change together as one event (a unit's <c>load</c>, <c>active</c> and <c>sub</c>
    /// states): when more than one of them changed, a report tells them on one line (<see cref="SummarizeEvent"/>),
    /// while the patch and the report's changes keep each field. Empty: none.
    /// </summary>
    public IReadOnlyList<string> EventFields { get; init; } = [];

    /// <summary>
    /// The Elastic Common Schema <c>event.category</c> of the section's changes in an <c>ecs</c> record: "file",
    /// "package", "iam", "network", or the default "configuration".
    /// </summary>
    public string EcsCategory { get; init; } = "configuration";

    /// <summary>The one-line summary of a change, naming the thing as an operator would ("user alice: shell /bin/bash → /bin/sh").</summary>
    /// <remarks>The base implementation names the thing by <see cref="Nouns"/>; override it to say more, and call it for what you leave alone.</remarks>
    public virtual string Summarize(SectionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangeDescriber.Describe(this, change);
    }

    /// <summary>
    /// The one-line summary of an event: the replaced <see cref="EventFields"/> of one entry, in the order they are
    /// declared ("unit ssh.service: active/sub active/running → inactive/dead").
    /// </summary>
    /// <remarks>Override it to name the event ("unit ssh.service stopped …"); the base names the fields and their values.</remarks>
    public virtual string SummarizeEvent(IReadOnlyList<SectionChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return ChangeDescriber.DescribeEvent(this, changes);
    }

    /// <summary>Checks that every rule and part lies in this section; called when the section is put to use.</summary>
    /// <exception cref="InfraDiffException">A rule or a part reaches outside the section, or a pattern is invalid.</exception>
    public void Validate()
    {
        foreach (var rule in SeverityRules ?? [])
        {
            Within($"severity rule {rule.Path}", rule.Path);
        }

        foreach (var (part, paths) in Parts ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            foreach (var path in paths ?? [])
            {
                Within($"part {part} ({path})", path);
            }
        }
    }

    private void Within(string what, string path)
    {
        try
        {
            _ = new PointerGlob(path);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"section {Name}: {what}: {ex.Message}", ex);
        }

        if (path != Path && !path.StartsWith(Path + "/", StringComparison.Ordinal))
        {
            throw new InfraDiffException($"section {Name}: {what} lies outside the section (it must start with {Path})");
        }
    }

    /// <summary>A value as a summary line shows it: a string as is, anything else as compact canonical JSON, cut at 80 characters.</summary>
    protected static string Text(JsonElement value) => ChangeDescriber.Text(value);
}
