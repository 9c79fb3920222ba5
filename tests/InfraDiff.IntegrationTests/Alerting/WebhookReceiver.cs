using System.Collections.Concurrent;
using System.Net;
using System.Text;
using InfraDiff.Alerting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InfraDiff.IntegrationTests.Alerting;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel): records every request, checks signatures, and can be told to
/// fail requests with 500, answer 429 with Retry-After, hang past a timeout, or go down and come back on its port.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(string Body, string? IdempotencyKey, bool SignatureValid, DateTime ReceivedAt);

    private WebApplication? app;

    public ConcurrentQueue<Request> Requests { get; } = new();

    public string? Secret { get; init; }

    /// <summary>How the next requests are answered: each call takes one behaviour, then "ok".</summary>
    public ConcurrentQueue<string> Script { get; } = new();

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook?token=never-logged");

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        app.MapPost("/hook", HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var behaviour = Script.TryDequeue(out var next) ? next : "ok";
        switch (behaviour)
        {
            case "500":
                context.Response.StatusCode = 500;
                return;
            case "404":
                context.Response.StatusCode = 404;
                return;
            case "413":
                context.Response.StatusCode = 413;
                await context.Response.WriteAsync("payload too large for this channel");
                return;
            case "429":
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            case "hang":
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
                return;
        }

        var signature = context.Request.Headers[WebhookAlertSink.SignatureHeader].ToString();
        var timestamp = context.Request.Headers[WebhookAlertSink.TimestampHeader].ToString();
        var valid = Secret is not null && signature == WebhookAlertSink.Sign(Secret, timestamp, Encoding.UTF8.GetBytes(body));
        Requests.Enqueue(new Request(body, context.Request.Headers[WebhookAlertSink.IdempotencyHeader].ToString(), valid, DateTime.UtcNow));
        context.Response.StatusCode = 204;
    }
}
