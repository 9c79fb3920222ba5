using InfraDiff.Redaction;

namespace InfraDiff.Tests.Redaction;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("mysqldump -u root --password=hunter2 shop", "mysqldump -u root --password=<redacted> shop")]
    [InlineData("mysql -u root --password 'hunter 2' -e 'select 1'", "mysql -u root --password <redacted> -e 'select 1'")]
    [InlineData("API_TOKEN=abc123 /usr/local/bin/sync --full", "API_TOKEN=<redacted> /usr/local/bin/sync --full")]
    [InlineData("PGPASSWORD=\"s e\" pg_dump app", "PGPASSWORD=<redacted> pg_dump app")]
    [InlineData("restic --repo /srv --aws-secret-access-key XYZ backup", "restic --repo /srv --aws-secret-access-key <redacted> backup")]
    [InlineData("curl -fsS https://ops:pw@hooks.example.invalid/ping?token=1", "curl -fsS https://<redacted>@hooks.example.invalid/ping?<redacted>")]
    [InlineData("cd / && run-parts --report /etc/cron.daily", "cd / && run-parts --report /etc/cron.daily")]
    [InlineData("certbot renew --key-type ecdsa --deploy-hook /x", "certbot renew --key-type ecdsa --deploy-hook /x")]
    public void Redacts_credentials_on_a_command_line_and_leaves_the_rest(string command, string expected) =>
        Assert.Equal(expected, SecretRedactor.RedactCommand(command));

    [Theory]
    [InlineData("https://hooks.example.invalid/services/T0/B0?token=secret", "https://hooks.example.invalid/…")]
    [InlineData("https://discord.example.invalid/api/webhooks/123/SECRETTOKEN", "https://discord.example.invalid/…")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080")]
    public void A_webhook_url_is_shown_in_log_lines_only_up_to_its_host(string url, string expected) =>
        Assert.Equal(expected, SecretRedactor.RedactUrl(new Uri(url)));
}
