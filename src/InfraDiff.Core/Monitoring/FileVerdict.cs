namespace InfraDiff.Monitoring;

/// <summary>What the journal says of one store file.</summary>
public enum FileVerdict
{
    /// <summary>Its content is what the journal recorded.</summary>
    Intact,

    /// <summary>Neither the journal nor the store has it.</summary>
    Absent,

    /// <summary>It exists, but the journal never recorded it: forged, or written by something else.</summary>
    Unknown,

    /// <summary>Its content differs from what the journal recorded.</summary>
    Tampered,

    /// <summary>The journal says it exists, and it does not.</summary>
    Missing,
}
