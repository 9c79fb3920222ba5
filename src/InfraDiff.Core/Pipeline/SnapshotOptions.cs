using InfraDiff.Validation;

namespace InfraDiff.Pipeline;

/// <summary>Which collectors run, against which root, for how long.</summary>
public sealed record SnapshotOptions : IValidatedOptions
{
    /// <summary>The directory that stands for the host's "/". Default: the live host.</summary>
    public string Root { get; set; } = "/";

    /// <summary>
    /// With <see cref="Root"/> the host's own file system mounted elsewhere (a container run with <c>-v /:/host:ro
    /// --pid host --network host</c>): read the running kernel (release, sysctls, modules, mounts) from this process's
    /// /proc and the interfaces, sockets and firewall through its network namespace, since they are the host's.
    /// Checked before collecting: PID 1 must be the host's init (mounts other than this process's) with this process's interfaces.
    /// </summary>
    public bool LiveKernel { get; set; }

    /// <summary>Run only these collectors (empty: all).</summary>
    public IReadOnlyCollection<string> Only { get; set; } = [];

    /// <summary>Skip these collectors.</summary>
    public IReadOnlyCollection<string> Exclude { get; set; } = [];

    /// <summary>How long one collector may run before it is recorded as timed out, unless <see cref="CollectorTimeouts"/> names it. Default: 30 s.</summary>
    public TimeSpan CollectorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Per-collector limits that replace <see cref="CollectorTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// Default: none for <c>files</c>, whose first scan of a large tree takes as long as reading it, and must never be cut silently.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> CollectorTimeouts { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["files"] = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The limit that applies to the named collector.</summary>
    public TimeSpan TimeoutFor(string collector) => CollectorTimeouts.TryGetValue(collector, out var limit) ? limit : CollectorTimeout;

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            OptionChecks.NotEmpty("SnapshotOptions.Root", Root),
            OptionChecks.Positive("SnapshotOptions.CollectorTimeout", CollectorTimeout, infiniteAllowed: true),
        }.Concat((CollectorTimeouts ?? new Dictionary<string, TimeSpan>()).Select(t => OptionChecks.Positive($"SnapshotOptions.CollectorTimeouts[{t.Key}]", t.Value, infiniteAllowed: true)))
        .OfType<InvalidOptionException>();
}
