namespace InfraDiff.Diffing;

/// <summary>Counts of one category's changes.</summary>
public sealed record CategorySummary(int Added, int Removed, int Changed)
{
    /// <summary>"1 added, 0 removed, 2 changed": how every report and alert says it.</summary>
    public string Counts => $"{Added} added, {Removed} removed, {Changed} changed";
}
