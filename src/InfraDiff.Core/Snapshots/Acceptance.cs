using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Snapshots;

/// <summary>
/// One change accepted into a baseline (the baseline now holds its exact new value), or acknowledged in a store that
/// compares each snapshot with the previous one: which change, by whom, why, when. A baseline file carries those that
/// shaped it in its metadata; a watch store keeps them in its journalled acceptances file.
/// </summary>
/// <param name="Id">The change's id (<c>DriftChange.Id</c>), or "all" for an acceptance of everything that drifted.</param>
/// <param name="Path">The change's path ("" for "all").</param>
/// <param name="Kind">add, remove or replace.</param>
/// <param name="Severity">Its severity when it was accepted (for "all", the highest).</param>
/// <param name="Summary">Its report line when it was accepted (for "all", the counts by severity).</param>
/// <param name="Reason">Why it is fine, in the acceptor's words.</param>
/// <param name="By">Who accepted it: the signer of the acceptance, else the name given, else the invoking user.</param>
/// <param name="At">When.</param>
public sealed record Acceptance(
    string Id,
    string Path,
    [property: JsonPropertyName("op")] ChangeKind Kind,
    Severity Severity,
    string Summary,
    string Reason,
    string By,
    DateTimeOffset At)
{
    /// <summary>The exact value accepted (absent for a removal, and for "all").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Value { get; init; }

    /// <summary>How many changes it covers: the changes told on its line (fields of one event, the files its package accounts for), or all.</summary>
    public int Changes { get; init; } = 1;

    /// <summary>Whether the change was moved into a baseline or acknowledged (compared with the previous snapshot, nothing moves).</summary>
    public AcceptanceAction Action { get; init; } = AcceptanceAction.Baseline;

    /// <summary>The id an acceptance of everything carries.</summary>
    public const string All = "all";
}
