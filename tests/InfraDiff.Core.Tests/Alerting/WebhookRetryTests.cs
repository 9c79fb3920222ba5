using System.Net;
using InfraDiff.Alerting;
using InfraDiff.Reporting;
using InfraDiff.Tests.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InfraDiff.Tests.Alerting;

/// <summary>
/// The webhook sink's retries on a fake clock, through the <see cref="IHttpClientFactory"/> client a user would configure.
/// The receiver here is an injected handler (a real HTTP receiver on loopback is driven in the integration tests): what is
/// under test is when the sink tries again, which a real clock would make a test of minutes.
/// </summary>
public sealed class WebhookRetryTests
{
    private static readonly DriftAlert Alert = MessageFormatTests.Alert(1, 20);

    [Fact]
    public async Task Backoff_doubles_from_the_base_and_stops_at_the_cap()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var retry = new DeliveryRetry(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), clock, random: () => 1.0);
        var attempts = new List<TimeSpan>();

        var run = retry.RunAsync(
            (number, _) =>
            {
                attempts.Add(clock.GetUtcNow() - DateTimeOffset.UnixEpoch);
                return Task.FromResult<FailedAttempt?>(new FailedAttempt($"attempt {number} failed"));
            },
            (_, _, _) => { },
            CancellationToken.None);
        var lastProblem = await DriveAsync(clock, run);

        Assert.Equal([0, 1, 3, 6], attempts.Select(t => t.TotalSeconds));
        Assert.Equal("attempt 4 failed", lastProblem);
    }

    [Fact]
    public void Jitter_keeps_each_wait_between_half_and_all_of_the_backoff_and_retry_after_wins()
    {
        var low = new DeliveryRetry(5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), TimeProvider.System, random: () => 0.0);

        Assert.Equal(TimeSpan.FromSeconds(4), low.DelayAfter(3, retryAfter: null));
        Assert.Equal(TimeSpan.FromSeconds(7), low.DelayAfter(3, retryAfter: TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromMinutes(1), low.DelayAfter(1, retryAfter: TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_503_with_retry_after_is_tried_again_when_the_receiver_asked_with_the_same_key()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var receiver = new Receiver(clock, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK) { RetryAfterSeconds = 7 };
        using var provider = Sinks(clock, receiver, o => o.Secret = "s3cret");
        var sink = provider.GetRequiredService<IAlertSink>();

        await DriveAsync(clock, sink.SendAsync(Alert));

        Assert.Equal([0, 7], receiver.Requests.Select(r => r.At.TotalSeconds));
        Assert.All(receiver.Requests, r => Assert.Equal(Alert.IdempotencyKey, r.Key));
        Assert.All(receiver.Requests, r => Assert.StartsWith("sha256=", r.Signature, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_is_permanent_and_not_retried()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var receiver = new Receiver(clock, HttpStatusCode.BadRequest);
        using var provider = Sinks(clock, receiver);

        var error = await Assert.ThrowsAsync<AlertDeliveryException>(() => provider.GetRequiredService<IAlertSink>().SendAsync(Alert));

        Assert.True(error.Permanent);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Giving_up_names_the_attempts_and_the_last_problem()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var receiver = new Receiver(clock, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway);
        using var provider = Sinks(clock, receiver, o => o.MaxAttempts = 2);
        var sink = provider.GetRequiredService<IAlertSink>();

        var error = await Assert.ThrowsAsync<AlertDeliveryException>(() => DriveAsync(clock, sink.SendAsync(Alert)));

        Assert.False(error.Permanent);
        Assert.EndsWith(": gave up after 2 attempts (answered 502 Bad Gateway)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, receiver.Requests.Count);
    }

    private static ServiceProvider Sinks(FakeTimeProvider clock, Receiver receiver, Action<WebhookOptions>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddWebhookAlertSink("test", o =>
        {
            o.Url = new Uri("https://hooks.example/services/T0/B0/secret");
            o.BaseDelay = TimeSpan.FromSeconds(1);
            more?.Invoke(o);
        }).ConfigurePrimaryHttpMessageHandler(() => receiver);
        return services.BuildServiceProvider();
    }

    /// <summary>Moves the fake clock a second at a time until the work is done (each timer it passes fires on the way).</summary>
    private static async Task<T> DriveAsync<T>(FakeTimeProvider clock, Task<T> work)
    {
        await DriveAsync(clock, (Task)work);
        return await work;
    }

    private static async Task DriveAsync(FakeTimeProvider clock, Task work)
    {
        for (var second = 0; second < 600 && !work.IsCompleted; second++)
        {
            await Task.Delay(5);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await work;
    }

    private sealed class Receiver(FakeTimeProvider clock, params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<(TimeSpan At, string Key, string Signature)> Requests { get; } = [];

        public int RetryAfterSeconds { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var signature = request.Headers.TryGetValues(WebhookAlertSink.SignatureHeader, out var values) ? values.Single() : "";
            Requests.Add((clock.GetUtcNow() - DateTimeOffset.UnixEpoch, request.Headers.GetValues(WebhookAlertSink.IdempotencyHeader).Single(), signature));
            var response = new HttpResponseMessage(answers[Math.Min(Requests.Count, answers.Length) - 1]);
            if (RetryAfterSeconds > 0)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(RetryAfterSeconds));
            }

            return Task.FromResult(response);
        }
    }
}
