namespace InfraDiff.Cli.Tests;

public sealed class WatchCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-watchcli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("--interval", "soon", "infradiff: --interval: must be a duration such as 300, 30s, 5m or 1h, not 'soon'")]
    [InlineData("--webhook", "ftp://user:pw@example.invalid/x", "infradiff: --webhook: must be an http or https URL, not 'ftp://<redacted>@example.invalid/x'")]
    [InlineData("--keep", "0", "infradiff: --keep: must be a whole number of at least 1, not '0'")]
    [InlineData("--metrics-file", "store/infradiff.prom", "infradiff: --metrics-file: store/infradiff.prom lies in the store store, which holds only its own files: write it elsewhere, e.g. /run/infradiff/infradiff.prom")]
    public async Task A_bad_setting_is_one_line_and_exit_2_and_touches_nothing(string option, string value, string expected)
    {
        var store = Path.Join(directory, "store");

        var result = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "os", "--dir", "store", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StandardError.TrimEnd());
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public async Task The_environment_beats_dot_env_and_a_flag_beats_both()
    {
        File.WriteAllText(Path.Join(directory, ".env"), "SNAPSHOT_DIR=from-dotenv\nINTERVAL=bogus\n");

        var fromDotEnv = await CliRunner.RunInAsync(directory, new Dictionary<string, string?> { ["INTERVAL"] = "60" }, "watch", "--once", "--only", "os");
        var fromEnvironment = await CliRunner.RunInAsync(directory, new Dictionary<string, string?> { ["INTERVAL"] = "60", ["SNAPSHOT_DIR"] = Path.Join(directory, "from-env") }, "watch", "--once", "--only", "os");
        var fromFlag = await CliRunner.RunInAsync(directory, new Dictionary<string, string?> { ["SNAPSHOT_DIR"] = Path.Join(directory, "from-env") }, "watch", "--once", "--only", "os", "--dir", Path.Join(directory, "from-flag"), "--interval", "1m");

        Assert.Equal(0, fromDotEnv.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Join(directory, "from-dotenv"), "snapshot-*.json"));
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Join(directory, "from-env"), "snapshot-*.json"));
        Assert.Equal(0, fromFlag.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Join(directory, "from-flag"), "snapshot-*.json"));
    }

    [Fact]
    public async Task Alert_rejects_a_file_that_is_not_a_drift_report()
    {
        var path = Path.Join(directory, "report.json");
        File.WriteAllText(path, "[1,2,3]");

        var result = await CliRunner.RunAsync("alert", path, "--webhook", "http://127.0.0.1:9/hook");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: {path}: not a drift report", result.StandardError, StringComparison.Ordinal);
    }
}
