using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Pipeline;

public sealed class SnapshotterTests
{
    private sealed class FixedCollector(string name, Func<CancellationToken, Task<object>> collect) : ICollector
    {
        public string Name => name;

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) => collect(cancellationToken);
    }

    private static readonly ICollector Good = new FixedCollector("good", _ => Task.FromResult<object>(new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 }));

    [Fact]
    public async Task A_failing_collector_is_recorded_in_metadata_and_the_others_still_run()
    {
        var failing = new FixedCollector("broken", _ => throw new InvalidOperationException("disk on fire"));

        var snapshot = await new Snapshotter([Good, failing]).TakeAsync(new SnapshotOptions());

        Assert.Equal(["good"], snapshot.Sections.Keys);
        Assert.Equal(CollectorStatus.Failed, snapshot.Metadata.Collectors["broken"].Status);
        Assert.Equal("disk on fire", snapshot.Metadata.Collectors["broken"].Reason);
        Assert.Equal(CollectorStatus.Ok, snapshot.Metadata.Collectors["good"].Status);
    }

    [Fact]
    public async Task A_collector_past_its_timeout_is_recorded_as_timeout()
    {
        var slow = new FixedCollector("slow", async ct =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), ct);
            return new object();
        });

        var snapshot = await new Snapshotter([Good, slow]).TakeAsync(new SnapshotOptions { CollectorTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(CollectorStatus.Timeout, snapshot.Metadata.Collectors["slow"].Status);
        Assert.Contains("good", snapshot.Sections.Keys);
    }

    [Fact]
    public async Task A_missing_source_is_unavailable_not_failed()
    {
        var absent = new FixedCollector("absent", _ => throw new CollectorUnavailableException("no engine at unix:///nowhere"));
        var noTool = new FixedCollector("notool", _ => throw new InfraDiff.Host.CommandNotFoundException("nft"));

        var snapshot = await new Snapshotter([absent, noTool]).TakeAsync(new SnapshotOptions());

        Assert.Equal(CollectorStatus.Unavailable, snapshot.Metadata.Collectors["absent"].Status);
        Assert.Equal("nft: command not found", snapshot.Metadata.Collectors["notool"].Reason);
        Assert.Empty(snapshot.Sections);
    }

    [Fact]
    public async Task A_section_that_is_not_an_object_fails_that_collector()
    {
        var scalar = new FixedCollector("scalar", _ => Task.FromResult<object>(42));

        var snapshot = await new Snapshotter([scalar]).TakeAsync(new SnapshotOptions());

        Assert.Equal(CollectorStatus.Failed, snapshot.Metadata.Collectors["scalar"].Status);
        Assert.Contains("number", snapshot.Metadata.Collectors["scalar"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_and_exclude_choose_collectors_and_reject_unknown_names()
    {
        var other = new FixedCollector("other", _ => Task.FromResult<object>(new { x = 1 }));
        var snapshotter = new Snapshotter([Good, other]);

        var only = await snapshotter.TakeAsync(new SnapshotOptions { Only = ["other"] });
        var excluded = await snapshotter.TakeAsync(new SnapshotOptions { Exclude = ["other"] });
        var error = await Assert.ThrowsAsync<InfraDiffException>(() => snapshotter.TakeAsync(new SnapshotOptions { Only = ["nope"] }));

        Assert.Equal(["other"], only.Sections.Keys);
        Assert.Equal(["good"], excluded.Sections.Keys);
        Assert.Equal("unknown collector 'nope' (known: good, other)", error.Message);
    }

    [Fact]
    public void Rejects_collectors_that_share_a_name_or_take_a_reserved_one()
    {
        Assert.Throws<ArgumentException>(() => new Snapshotter([Good, Good]));
        Assert.Throws<ArgumentException>(() => new Snapshotter([new FixedCollector("metadata", _ => Task.FromResult(new object()))]));
    }

    [Fact]
    public async Task A_missing_root_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOptionException>(() => new Snapshotter([Good]).TakeAsync(new SnapshotOptions { Root = "/no/such/root" }));

        Assert.Equal("SnapshotOptions.Root: /no/such/root: no such directory", error.Message);
        Assert.Equal("SnapshotOptions.Root", error.Option);
    }

    [Fact]
    public async Task Every_built_in_collector_finishes_on_a_root_with_no_sources_at_all()
    {
        using var empty = new FixtureRoot("parsers");

        var snapshot = await new Snapshotter(BuiltInSections.CreateCollectors()).TakeAsync(new SnapshotOptions { Root = empty.Path });

        Assert.Equal(CollectorStatus.Unavailable, snapshot.Metadata.Collectors["packages"].Status);
        Assert.Equal(CollectorStatus.Unavailable, snapshot.Metadata.Collectors["users"].Status);
        Assert.DoesNotContain(snapshot.Metadata.Collectors.Values, r => r.Status is CollectorStatus.Failed or CollectorStatus.Timeout);
    }
}
