using InfraDiff.Reporting;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace InfraDiff.Alerting;

/// <summary>
/// Sends alerts by email over SMTP (MailKit): plain text and HTML alternatives of the same message, host text
/// escaped in the HTML. STARTTLS is used when the server offers it. A server that refuses the sender or a recipient
/// (a 5xx answer) refuses for good; a connection failure or a 4xx answer is tried again later.
/// </summary>
public sealed class EmailAlertSink : IAlertSink
{
    private readonly EmailOptions options;

    /// <summary>Creates a sink for <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOptionException">An option is invalid (no recipient, an address that is not one, …).</exception>
    public EmailAlertSink(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Id = $"email smtp://{options.SmtpHost}:{options.SmtpPort} to {string.Join(", ", options.To)}";
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public async Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Heartbeat)
        {
            return;
        }

        var message = Message(alert);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.SmtpHost, options.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, timeout.Token).ConfigureAwait(false);
            if (options.UserName is not null && client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", timeout.Token).ConfigureAwait(false);
            }

            await client.SendAsync(message, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex)
        {
            var permanent = (int)ex.StatusCode >= 500;
            throw new AlertDeliveryException($"{Id}: the server answered {(int)ex.StatusCode} {ex.Message}{(permanent ? "; refused for good, not retried" : "")}", ex, permanent);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AlertDeliveryException($"{Id}: {(ex is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.#} s" : ex.Message)}", ex);
        }
    }

    /// <summary>The message the email format writes, from the sender to the recipients.</summary>
    internal MimeMessage Message(DriftAlert alert)
    {
        var message = EmailFormat.Message(alert);
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var to in options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        return message;
    }
}
