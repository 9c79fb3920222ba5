using System.Net;
using System.Text.Json;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Sections.Files;
using Microsoft.Extensions.DependencyInjection;

namespace InfraDiff.PackageTests;

/// <summary>What a .NET developer does with the packed library through dependency injection, as the README shows it.</summary>
public sealed class ConsumerTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-consumer-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Custom_file_roots_set_through_options_are_the_only_ones_scanned()
    {
        var scanned = Directory.CreateDirectory(Path.Join(work, "scanned")).FullName;
        File.WriteAllText(Path.Join(scanned, "a.conf"), "a");
        File.WriteAllText(Path.Join(work, "outside.conf"), "b");
        var services = new ServiceCollection();
        services.AddInfraDiff();
        services.Configure<FilesCollectorOptions>(o =>
        {
            o.Roots = [scanned];
            o.CacheDirectory = Path.Join(work, "cache");
        });
        await using var provider = services.BuildServiceProvider();

        var snapshot = await provider.GetRequiredService<Snapshotter>().TakeAsync(new SnapshotOptions { Only = ["files"] });

        var paths = snapshot.Sections["files"].EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([scanned, Path.Join(scanned, "a.conf")], paths);
    }

    [Fact]
    public async Task One_collector_replaced_and_another_removed()
    {
        var services = new ServiceCollection();
        services.AddInfraDiff()
            .ReplaceCollector("users", new FixedUsers())
            .RemoveCollector("docker");
        await using var provider = services.BuildServiceProvider();
        var snapshotter = provider.GetRequiredService<Snapshotter>();

        var snapshot = await snapshotter.TakeAsync(new SnapshotOptions { Only = ["users"] });

        Assert.DoesNotContain("docker", snapshotter.CollectorNames);
        Assert.Equal(8, snapshotter.CollectorNames.Count());
        Assert.Equal("""{"fixed":true}""", snapshot.Sections["users"].GetRawText());
    }

    [Fact]
    public async Task The_monitor_runs_as_a_hosted_service_and_alerts_through_the_http_client_factory()
    {
        var recorder = new RecordingHandler();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var counter = new Counter();
        builder.Services.AddInfraDiff().AddCollector(counter);
        builder.Services.AddDriftMonitor(o =>
        {
            o.Directory = Path.Join(work, "store");
            o.Interval = TimeSpan.FromMilliseconds(300);
            o.Heartbeat = TimeSpan.Zero;
            o.StoreKey = StoreKey.Load(Path.Join(work, "key"));
            o.Snapshot = new SnapshotOptions { Only = ["counter"] };
        });
        builder.Services.AddWebhookAlertSink("ops", o => o.Url = new Uri("https://hooks.example/infradiff"))
            .ConfigurePrimaryHttpMessageHandler(() => recorder);
        using var host = builder.Build();

        await host.StartAsync();
        var alert = await recorder.First.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();

        using var body = JsonDocument.Parse(alert);
        Assert.Equal("/counter/value", body.RootElement.GetProperty("changes")[0].GetProperty("path").GetString());
        Assert.Equal("https://hooks.example/infradiff", recorder.Url);
    }

    private sealed class FixedUsers : ICollector
    {
        public string Name => "users";

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult<object>(new { @fixed = true });
    }

    /// <summary>A section that changes every cycle, so the second cycle drifts.</summary>
    private sealed class Counter : ICollector
    {
        private int value;

        public string Name => "counter";

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult<object>(new { value = Interlocked.Increment(ref value) });
    }

    /// <summary>The receiver a user's test would inject into the named client: records the first alert, answers 200.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public TaskCompletionSource<string> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? Url { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Url = request.RequestUri!.ToString();
            First.TrySetResult(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
