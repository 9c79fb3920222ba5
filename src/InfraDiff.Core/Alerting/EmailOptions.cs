namespace InfraDiff.Alerting;

/// <summary>Where and how an email alert is sent.</summary>
public sealed record EmailOptions
{
    /// <summary>The SMTP server.</summary>
    public required string SmtpHost { get; init; }

    /// <summary>Its port. Default: 25.</summary>
    public int SmtpPort { get; init; } = 25;

    /// <summary>The sender address. Default: infradiff@ and this machine's name.</summary>
    public string From { get; init; } = $"infradiff@{Environment.MachineName}";

    /// <summary>The recipients.</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>A user name to authenticate with, when the server asks for one (the password from <see cref="Password"/>).</summary>
    public string? UserName { get; init; }

    /// <summary>The password for <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>How long one delivery may take. Default: 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
