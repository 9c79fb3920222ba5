using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace InfraDiff.IntegrationTests.Alerting;

/// <summary>Email alerts through the real executable to a real SMTP server on loopback (Debian's python3-aiosmtpd, storing into a maildir).</summary>
public sealed class EmailAlertTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-smtp-").FullName;
    private readonly int port = FreePort();
    private Process? server;

    private string Maildir => Path.Join(work, "maildir");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/python3"), "Debian's python3 is missing (.ci/run installs it)");
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (server is { HasExited: false })
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task An_alert_arrives_as_plain_text_and_html_with_host_text_escaped()
    {
        var report = Path.Join(work, "report.json");
        File.WriteAllText(report, """
            {"before":{"host":"web1","takenAt":"2026-11-27T14:00:00Z"},"after":{"host":"web1","takenAt":"2026-11-28T14:00:00Z"},
             "summary":{"users":{"added":1,"removed":0,"changed":1}},
             "changes":[
               {"category":"users","op":"add","path":"/users/accounts/toor","severity":"critical","summary":"user toor added (uid 0)"},
               {"category":"users","op":"replace","path":"/users/accounts/eve/gecos","severity":"high","summary":"user eve: gecos  → <script>alert(1)</script> @everyone"}],
             "unknown":[],"notices":[]}
            """);

        var start = new ProcessStartInfo("dotnet", [Scenarios.Infradiff.Executable, "alert", report, "--email-to", "ops@example.test", "--smtp", $"127.0.0.1:{port}", "--email-from", "infradiff@web1.test"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        var file = Assert.Single(Directory.GetFiles(Path.Join(Maildir, "new")));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("infradiff: 2 changes on web1", message.Subject);
        Assert.Equal("ops@example.test", message.To.Mailboxes.Single().Address);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        var parts = alternative.OfType<TextPart>().ToList();
        Assert.Equal(["text/plain", "text/html"], parts.Select(p => p.ContentType.MimeType));
        Assert.StartsWith("infradiff: 2 changes on web1", parts[0].Text, StringComparison.Ordinal);
        Assert.Matches(@"\[critical\] [0-9a-f]{10} user toor added \(uid 0\)", parts[0].Text);
        Assert.DoesNotContain("<script>", parts[1].Text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", parts[1].Text, StringComparison.Ordinal);
        Assert.Equal(32, message.Headers["X-InfraDiff-Idempotency-Key"]?.Length);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_one_line_and_exit_2()
    {
        var report = Path.Join(work, "report.json");
        File.WriteAllText(report, """{"before":{"host":"a","takenAt":"2026-11-27T14:00:00Z"},"after":{"host":"a","takenAt":"2026-11-28T14:00:00Z"},"summary":{"users":{"added":1,"removed":0,"changed":0}},"changes":[{"category":"users","op":"add","path":"/users/accounts/x","severity":"high","summary":"user x added"}],"unknown":[],"notices":[]}""");

        var start = new ProcessStartInfo("dotnet", [Scenarios.Infradiff.Executable, "alert", report, "--email-to", "ops@example.test", "--smtp", $"127.0.0.1:{FreePort()}"]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("infradiff: email smtp://127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
