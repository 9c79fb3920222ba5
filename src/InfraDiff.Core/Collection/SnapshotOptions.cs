namespace InfraDiff.Collection;

/// <summary>Which collectors run, against which root, for how long.</summary>
public sealed record SnapshotOptions
{
    /// <summary>The directory that stands for the host's "/". Default: the live host.</summary>
    public string Root { get; init; } = "/";

    /// <summary>Run only these collectors (empty: all).</summary>
    public IReadOnlyCollection<string> Only { get; init; } = [];

    /// <summary>Skip these collectors.</summary>
    public IReadOnlyCollection<string> Exclude { get; init; } = [];

    /// <summary>How long one collector may run before it is recorded as timed out. Default: 30 s.</summary>
    public TimeSpan CollectorTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
