using InfraDiff.Validation;
using MimeKit;

namespace InfraDiff.Alerting;

/// <summary>Where and how an email alert is sent.</summary>
public sealed record EmailOptions : IValidatedOptions
{
    /// <summary>The SMTP server.</summary>
    public required string SmtpHost { get; set; }

    /// <summary>Its port. Default: 25.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>The sender address. Default: infradiff@ and this machine's name.</summary>
    public string From { get; set; } = $"infradiff@{Environment.MachineName}";

    /// <summary>The recipients.</summary>
    public required IReadOnlyList<string> To { get; set; }

    /// <summary>A user name to authenticate with, when the server asks for one (the password from <see cref="Password"/>).</summary>
    public string? UserName { get; set; }

    /// <summary>The password for <see cref="UserName"/>.</summary>
    public string? Password { get; set; }

    /// <summary>How long one delivery may take. Default: 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            OptionChecks.NotEmpty("EmailOptions.SmtpHost", SmtpHost),
            OptionChecks.Between("EmailOptions.SmtpPort", SmtpPort, 1, 65535),
            To is null || To.Count == 0 ? new InvalidOptionException("EmailOptions.To", "needs at least one recipient") : To.FirstOrDefault(a => !MailboxAddress.TryParse(a, out _)) is { } bad ? new InvalidOptionException("EmailOptions.To", $"'{Excerpt.Cut(bad)}' is not an email address") : null,
            From is null || !MailboxAddress.TryParse(From, out _) ? new InvalidOptionException("EmailOptions.From", $"'{Excerpt.Cut(From ?? "")}' is not an email address") : null,
            Password is not null && UserName is null ? new InvalidOptionException("EmailOptions.Password", "is set without a UserName") : null,
            OptionChecks.Positive("EmailOptions.Timeout", Timeout),
        }.OfType<InvalidOptionException>();
}
