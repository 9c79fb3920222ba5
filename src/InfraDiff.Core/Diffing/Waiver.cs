namespace InfraDiff.Diffing;

/// <summary>
/// Changes expected to keep changing, let through without an alert until a day: counted and shown as waived (with
/// the reason and the expiry) in every report. Past its expiry a waiver stops waiving and its changes alert, saying so;
/// reports warn a week ahead.
/// </summary>
/// <param name="Path">A JSON Pointer glob, or a file's path (as an ignore rule's).</param>
/// <param name="Reason">Why the changes are expected: required.</param>
/// <param name="Expires">The last day it applies: required (a waiver for ever is an ignore rule, and should say so).</param>
public sealed record Waiver(string Path, string? Reason, DateOnly? Expires)
{
    /// <summary>Who granted it.</summary>
    public string? By { get; init; }

    /// <summary>Conditions on the old and new values, as a severity rule's (<c>"new.uid == 0"</c>): all must hold.</summary>
    public IReadOnlyList<string>? When { get; init; }

    /// <summary>How many days before its expiry a report starts warning: 7.</summary>
    public const int WarningDays = 7;
}
