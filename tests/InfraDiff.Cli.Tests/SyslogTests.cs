using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// <c>watch --syslog</c> received by a real rsyslog (Debian's), over TCP and over TLS (its GnuTLS driver, a
/// certificate authority made by openssl for the test): rsyslog's RFC 5424 parser splits each message and a JSON
/// template writes what it parsed, which the test reads back. A file named to forge a syslog record stays one field.
/// </summary>
public sealed class SyslogTests : IDisposable
{
    /// <summary>A file name with a newline and a whole forged RFC 5424 message in it, and quotes to break a careless JSON writer.</summary>
    private const string Forged = "evil\n<10>1 2026-01-01T00:00:00Z forged infradiff 1 change - {\"injected\":true}\"";

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-syslog-").FullName;
    private Process? rsyslog;

    public void Dispose()
    {
        if (rsyslog is { HasExited: false })
        {
            rsyslog.Kill();
            rsyslog.WaitForExit();
        }

        rsyslog?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string Tree => Path.Join(directory, "tree");

    private string Received => Path.Join(directory, "received.jsonl");

    /// <summary>
    /// Starts rsyslogd in the foreground with one input — tcp, tls, udp or unix (a socket of the test's own, parsed as
    /// RFC 5424 like the others) — and a JSON template of what its parser saw; returns the --syslog URL for it.
    /// </summary>
    private async Task<string> StartRsyslogAsync(string transport)
    {
        var port = LoopbackPort.Free();
        var socket = Path.Join(directory, "log.sock");
        var (global, input, url) = transport switch
        {
            "tls" => (
                $"global(workDirectory=\"{directory}\" defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=\"{directory}/ca.pem\" defaultNetstreamDriverCertFile=\"{directory}/server.pem\" defaultNetstreamDriverKeyFile=\"{directory}/server.key\")\nmodule(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")",
                $"input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{port}\")",
                $"tls://127.0.0.1:{port}"),
            "tcp" => ($"global(workDirectory=\"{directory}\")\nmodule(load=\"imtcp\")", $"input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{port}\")", $"tcp://127.0.0.1:{port}"),
            "udp" => ($"global(workDirectory=\"{directory}\")\nmodule(load=\"imudp\")", $"input(type=\"imudp\" address=\"127.0.0.1\" port=\"{port}\")", $"udp://127.0.0.1:{port}"),
            _ => ($"global(workDirectory=\"{directory}\")\nmodule(load=\"imuxsock\" sysSock.use=\"off\")", $"input(type=\"imuxsock\" socket=\"{socket}\" useSpecialParser=\"off\" parseHostname=\"on\")", $"unix://{socket}"),
        };
        await File.WriteAllTextAsync(Path.Join(directory, "rsyslog.conf"), $$"""
            {{global}}
            {{input}}
            template(name="parsed" type="list" option.jsonf="on") {
              property(outname="protocol" name="protocol-version" format="jsonf")
              property(outname="facility" name="syslogfacility-text" format="jsonf")
              property(outname="severity" name="syslogseverity-text" format="jsonf")
              property(outname="hostname" name="hostname" format="jsonf")
              property(outname="appname" name="app-name" format="jsonf")
              property(outname="msgid" name="msgid" format="jsonf")
              property(outname="msg" name="msg" format="jsonf")
            }
            action(type="omfile" file="{{Received}}" template="parsed")
            """);
        var start = new ProcessStartInfo("/usr/sbin/rsyslogd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", "-f", Path.Join(directory, "rsyslog.conf"), "-i", Path.Join(directory, "rsyslog.pid") })
        {
            start.ArgumentList.Add(argument);
        }

        rsyslog = Process.Start(start)!;
        var errors = rsyslog.StandardError.ReadToEndAsync();
        _ = rsyslog.StandardOutput.ReadToEndAsync();
        for (var attempt = 0; !await ListeningAsync(transport, port, socket); attempt++)
        {
            if (attempt == 100 || rsyslog.HasExited)
            {
                throw new InvalidOperationException($"rsyslogd did not listen: {(rsyslog.HasExited ? await errors : "still starting after 10 s")}");
            }

            await Task.Delay(100);
        }

        return url;
    }

    /// <summary>Whether rsyslogd's input is ready: a TCP connection is taken, a UDP port is bound (/proc/net/udp), a socket is there.</summary>
    private static async Task<bool> ListeningAsync(string transport, int port, string socket)
    {
        switch (transport)
        {
            case "udp":
                return (await File.ReadAllLinesAsync("/proc/net/udp")).Any(l => l.Contains($"0100007F:{port:X4} ", StringComparison.Ordinal));
            case "unix":
                return File.Exists(socket);
            default:
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
        }
    }

    /// <summary>A first cycle, then a forged name and an edit, then the cycle that alerts on both.</summary>
    private async Task WatchTwiceAsync(params string[] syslog)
    {
        Directory.CreateDirectory(Tree);
        await File.WriteAllTextAsync(Path.Join(Tree, "app.conf"), "port=80");
        string[] watch = ["watch", "--once", "--only", "files", "--files", Tree, "--dir", Path.Join(directory, "store"), "--key-file", Path.Join(directory, "key"), "--heartbeat", "off", .. syslog];
        var first = await CliRunner.RunAsync(watch);
        Assert.True(first.ExitCode == 0, first.StandardError);
        await File.WriteAllTextAsync(Path.Join(Tree, "app.conf"), "port=8080");
        await File.WriteAllTextAsync(Path.Join(Tree, Forged), "x");

        var second = await CliRunner.RunAsync(watch);

        Assert.True(second.ExitCode == 0, second.StandardError);
    }

    /// <summary>What rsyslog parsed, once it has written <paramref name="count"/> records.</summary>
    private async Task<List<JsonElement>> ReceivedAsync(int count)
    {
        for (var attempt = 0; attempt < 100 && (!File.Exists(Received) || File.ReadAllLines(Received).Length < count); attempt++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(300);
        return [.. File.ReadAllLines(Received).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private void AssertRecords(List<JsonElement> received)
    {
        // Two changes and the report: three messages, and nothing the forged name could have started.
        Assert.Equal(3, received.Count);
        Assert.All(received, r =>
        {
            Assert.Equal("1", r.GetProperty("protocol").GetString());
            Assert.Equal("daemon", r.GetProperty("facility").GetString());
            Assert.Equal("infradiff", r.GetProperty("appname").GetString());
            Assert.Equal(Environment.MachineName, r.GetProperty("hostname").GetString(), ignoreCase: true);
        });
        var records = received.Select(r => (MsgId: r.GetProperty("msgid").GetString(), Severity: r.GetProperty("severity").GetString(), Ecs: JsonDocument.Parse(r.GetProperty("msg").GetString()!.Trim()).RootElement)).ToList();
        Assert.Equal(["change", "change", "report"], records.Select(r => r.MsgId).Order(StringComparer.Ordinal));
        var forged = records.Single(r => r.Ecs.TryGetProperty("file", out var file) && file.GetProperty("path").GetString() == Path.Join(Tree, Forged)).Ecs;
        Assert.Equal(EcsVersion, forged.GetProperty("ecs").GetProperty("version").GetString());
        Assert.Equal("file", forged.GetProperty("event").GetProperty("category")[0].GetString());
        Assert.Equal("creation", forged.GetProperty("event").GetProperty("type")[0].GetString());
        Assert.Equal("infradiff", forged.GetProperty("event").GetProperty("module").GetString());
        Assert.Equal("files", forged.GetProperty("infradiff").GetProperty("section").GetString());
        Assert.False(forged.TryGetProperty("injected", out _));
        var edited = records.Single(r => r.Ecs.TryGetProperty("file", out var file) && file.GetProperty("path").GetString() == Path.Join(Tree, "app.conf"));
        Assert.Equal("change", edited.Ecs.GetProperty("event").GetProperty("type")[0].GetString());
        Assert.Equal(edited.Ecs.GetProperty("log").GetProperty("level").GetString() switch { "critical" => "crit", "high" => "err", "medium" => "warning", _ => "notice" }, edited.Severity);
        var report = records.Single(r => r.MsgId == "report");
        Assert.Equal("info", report.Severity);
        Assert.Equal("drift-report", report.Ecs.GetProperty("event").GetProperty("action").GetString());
        Assert.StartsWith("2 changes: ", report.Ecs.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private const string EcsVersion = "8.11.0";

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    [InlineData("unix")]
    public async Task Alerts_reach_rsyslog_as_one_rfc5424_message_per_change_with_ecs_fields(string transport)
    {
        var url = await StartRsyslogAsync(transport);

        await WatchTwiceAsync("--syslog", url);

        AssertRecords(await ReceivedAsync(3));
    }

    [Fact]
    public async Task Alerts_reach_rsyslog_over_tls_checked_against_the_given_authority_and_a_stranger_certificate_is_refused()
    {
        foreach (var step in new[]
        {
            "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=infradiff-test-ca",
            "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1",
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.cnf",
            "req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj /CN=someone-else",
        })
        {
            await File.WriteAllTextAsync(Path.Join(directory, "san.cnf"), "subjectAltName=IP:127.0.0.1\n");
            var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in step.Split(' '))
            {
                start.ArgumentList.Add(argument);
            }

            using var openssl = Process.Start(start)!;
            var stderr = openssl.StandardError.ReadToEndAsync();
            await openssl.WaitForExitAsync();
            Assert.True(openssl.ExitCode == 0, $"openssl {step}: {await stderr}");
        }

        var url = await StartRsyslogAsync("tls");

        await WatchTwiceAsync("--syslog", url, "--syslog-ca", Path.Join(directory, "ca.pem"));
        AssertRecords(await ReceivedAsync(3));

        // Trusting another authority, the server is refused before a byte is sent: the alert waits in the outbox.
        await File.WriteAllTextAsync(Path.Join(Tree, "app.conf"), "port=9090");
        var refused = await CliRunner.RunAsync("watch", "--once", "--only", "files", "--files", Tree, "--dir", Path.Join(directory, "store"), "--key-file", Path.Join(directory, "key"), "--heartbeat", "off",
            "--syslog", url, "--syslog-ca", Path.Join(directory, "other.pem"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"syslog {url}: ", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("1 alerts waiting", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(3, (await ReceivedAsync(4)).Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:514", "'http://127.0.0.1:514' is not unix:///PATH, udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT")]
    [InlineData("tcp://127.0.0.1:514/path", "tcp://HOST:PORT takes no user, path or query")]
    [InlineData("514", "'514' is not unix:///PATH, udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT")]
    public async Task A_syslog_address_of_another_kind_is_one_line_and_exit_2(string address, string problem)
    {
        var result = await CliRunner.RunAsync("watch", "--once", "--dir", Path.Join(directory, "store"), "--syslog", address);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: --syslog: {problem}\n", result.StandardError);
        Assert.False(Directory.Exists(Path.Join(directory, "store")));
    }
}
