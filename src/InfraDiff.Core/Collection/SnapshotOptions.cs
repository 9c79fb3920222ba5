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

    /// <summary>How long one collector may run before it is recorded as timed out, unless <see cref="CollectorTimeouts"/> names it. Default: 30 s.</summary>
    public TimeSpan CollectorTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Per-collector limits that replace <see cref="CollectorTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// Default: none for <c>files</c>, whose first scan of a large tree takes as long as reading it, and must never be cut silently.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> CollectorTimeouts { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["files"] = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The limit that applies to the named collector.</summary>
    public TimeSpan TimeoutFor(string collector) => CollectorTimeouts.TryGetValue(collector, out var limit) ? limit : CollectorTimeout;
}
