namespace InfraDiff.Cli.Tests;

/// <summary>Signed snapshots with real ssh-keygen keys: a good signature, a key not allowed, a snapshot changed after signing, a missing signature.</summary>
public sealed class SignatureTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-sign-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Keygen(string name) => SshKeys.Keygen(directory, name);

    private string AllowedSigners(string key, string principal) => SshKeys.AllowedSigners(directory, key, principal);

    private async Task<string> SignedSnapshotAsync(string name, string key)
    {
        var path = Path.Join(directory, name);
        var result = await CliRunner.RunAsync("snapshot", "--only", "users", "-o", path, "--sign-key", key);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(File.Exists(path + ".sig"));
        return path;
    }

    [Fact]
    public async Task A_baseline_signed_by_an_allowed_key_is_compared()
    {
        var key = Keygen("ci");
        var baseline = await SignedSnapshotAsync("baseline.json", key);

        var result = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users", "--allowed-signers", AllowedSigners(key, "ci@example.test"));

        Assert.True(result.ExitCode is 0 or 1, result.StandardError);
    }

    [Fact]
    public async Task A_snapshot_signed_by_a_key_not_allowed_is_refused()
    {
        var baseline = await SignedSnapshotAsync("baseline.json", Keygen("intruder"));

        var result = await CliRunner.RunAsync("diff", baseline, baseline, "--allowed-signers", AllowedSigners(Keygen("ci"), "ci@example.test"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: {baseline}: signed by a key ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_changed_after_signing_is_refused()
    {
        var key = Keygen("ci");
        var baseline = await SignedSnapshotAsync("baseline.json", key);
        File.WriteAllText(baseline, File.ReadAllText(baseline).Replace("\"root\"", "\"r00t\"", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users", "--allowed-signers", AllowedSigners(key, "ci@example.test"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: {baseline}: the signature does not match (changed since it was signed)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_signature_is_refused_when_signers_are_required()
    {
        var key = Keygen("ci");
        var baseline = await SignedSnapshotAsync("baseline.json", key);
        File.Delete(baseline + ".sig");

        var result = await CliRunner.RunAsync("diff", baseline, baseline, "--allowed-signers", AllowedSigners(key, "ci@example.test"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {baseline}: no signature (baseline.json.sig) although the allowed signers require one", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task Signing_needs_a_file()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "users", "--sign-key", Keygen("ci"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: --sign-key needs -o FILE: the signature is written beside it as FILE.sig", result.StandardError.TrimEnd());
    }
}
