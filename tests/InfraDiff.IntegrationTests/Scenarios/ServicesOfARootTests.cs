using System.Text.Json;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// A whole debootstrap'd Debian 12 root, with a service enabled and another masked the way an administrator does it
/// (systemctl --root enable / mask): the services section, read from the unit directories, says of every unit what
/// systemctl list-unit-files says of the same root.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class ServicesOfARootTests(DebianRoot debian)
{
    [Fact]
    public async Task Every_unit_of_a_debian_root_has_the_state_and_preset_systemctl_gives_it()
    {
        var root = await debian.CopyAsync("services");
        var work = Directory.CreateTempSubdirectory("idt-services-").FullName;
        try
        {
            await SystemctlAsync(root, "enable", "fstrim.timer");
            await SystemctlAsync(root, "mask", "e2scrub_reap.service");
            var expected = (await SystemctlAsync(root, "list-unit-files", "--no-pager", "--no-legend", "--full"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .ToDictionary(f => f[0], f => $"{f[1]} {f[2]}", StringComparer.Ordinal);

            var result = await Infradiff.RunAsync(work, "snapshot", "--root", root, "--only", "services");

            Assert.Equal(0, result.ExitCode);
            using var snapshot = JsonDocument.Parse(result.StandardOutput);
            var read = snapshot.RootElement.GetProperty("services").EnumerateObject().ToDictionary(
                u => u.Name,
                u => $"{u.Value.GetProperty("unitFile").GetString()} {(u.Value.TryGetProperty("preset", out var preset) ? preset.GetString() : "-")}",
                StringComparer.Ordinal);
            Assert.True(expected.Count > 100, $"{expected.Count} units");
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), read.OrderBy(e => e.Key, StringComparer.Ordinal));
            Assert.Equal("enabled enabled", read["fstrim.timer"]);
            Assert.StartsWith("masked ", read["e2scrub_reap.service"], StringComparison.Ordinal);
        }
        finally
        {
            await DebianRoot.TryRunAsync("rm", "-rf", root, work);
        }
    }

    private static async Task<string> SystemctlAsync(string root, params string[] arguments) =>
        (await Tool.RunCheckedAsync("systemctl", [$"--root={root}", .. arguments])).StandardOutput;
}
