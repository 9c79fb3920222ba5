namespace InfraDiff.Snapshots;

/// <summary>What accepting a change did.</summary>
public enum AcceptanceAction
{
    /// <summary>Its new value was written into the baseline: the same change no longer drifts, another value at its path does.</summary>
    Baseline,

    /// <summary>It was marked as seen (a store that compares with the previous snapshot has no baseline to move it into).</summary>
    Acknowledged,
}
