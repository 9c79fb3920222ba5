using InfraDiff.Host;
using InfraDiff.Sections.Services;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>The unit files read directly against what systemctl list-unit-files says of the same root.</summary>
public sealed class UnitFilesTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("fixtures/debian12/root")]
    public void Reading_the_unit_directories_gives_what_systemctl_says(string root)
    {
        var full = root == "/" ? root : Path.GetFullPath(Path.Join(AppContext.BaseDirectory, root));
        var expected = ParseListUnitFiles(ListUnitFiles(full));

        var read = UnitFiles.Read(root == "/" ? RootedFileSystem.Live : new RootedFileSystem(full));

        Assert.NotNull(read);
        Assert.NotEmpty(expected);
        Assert.Equal(Lines(expected), Lines(read));
    }

    /// <summary>A root made to hold every state systemctl names, then asked of both.</summary>
    [Fact]
    public void Every_state_matches_systemctl_on_a_root_made_to_hold_them_all()
    {
        var root = Directory.CreateTempSubdirectory("infradiff-units-").FullName;
        try
        {
            string Write(string path, string text = "")
            {
                var full = Path.Join(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
                return full;
            }

            void Link(string path, string target)
            {
                var full = Path.Join(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.CreateSymbolicLink(full, target);
            }

            const string Wanted = "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n";
            Write("usr/lib/systemd/system/multi-user.target", "[Unit]\nDescription=m\n");
            Write("usr/lib/systemd/system/enabled.service", Wanted);
            Link("etc/systemd/system/multi-user.target.wants/enabled.service", "/usr/lib/systemd/system/enabled.service");
            Write("usr/lib/systemd/system/disabled.service", Wanted);
            Write("usr/lib/systemd/system/static.service", "[Service]\nExecStart=/bin/true\n");
            Write("usr/lib/systemd/system/indirect.service", "[Service]\nExecStart=/bin/true\n[Install]\nAlso=disabled.service\n");
            Write("usr/lib/systemd/system/masked.service", Wanted);
            Link("etc/systemd/system/masked.service", "/dev/null");
            Write("usr/lib/systemd/system/runtime-masked.service", Wanted);
            Link("run/systemd/system/runtime-masked.service", "/dev/null");
            Write("usr/lib/systemd/system/runtime-enabled.service", Wanted);
            Link("run/systemd/system/multi-user.target.wants/runtime-enabled.service", "/usr/lib/systemd/system/runtime-enabled.service");
            Write("usr/lib/systemd/system/aliased.service", Wanted + "Alias=other-name.service\n");
            Link("etc/systemd/system/other-name.service", "/usr/lib/systemd/system/aliased.service");
            Write("usr/lib/systemd/system/vendor-alias-target.service", "[Service]\nExecStart=/bin/true\n");
            Link("usr/lib/systemd/system/vendor-alias.service", "vendor-alias-target.service");
            Write("opt/app/linked.service", Wanted);
            Link("etc/systemd/system/linked.service", "/opt/app/linked.service");
            Write("usr/lib/systemd/system/worker@.service", Wanted);
            Link("etc/systemd/system/multi-user.target.wants/worker@1.service", "/usr/lib/systemd/system/worker@.service");
            Write("usr/lib/systemd/system/idle@.service", Wanted);
            Write("usr/lib/systemd/system/tty@.service", Wanted + "DefaultInstance=tty1\n");
            Link("etc/systemd/system/multi-user.target.wants/tty@tty1.service", "/usr/lib/systemd/system/tty@.service");
            Write("usr/lib/systemd/system/empty.service");
            Write("run/systemd/generator/generated.mount", "[Mount]\nWhat=/dev/sda1\nWhere=/srv\n");
            Write("usr/lib/systemd/system-preset/50-test.preset", "disable disabled.service\nenable worker@.service\ndisable idle@*\n");
            Write("etc/systemd/system-preset/10-local.preset", "disable runtime-*.service\n");

            var expected = ParseListUnitFiles(ListUnitFiles(root));
            var read = UnitFiles.Read(new RootedFileSystem(root));

            Assert.Equal(Lines(expected), Lines(read!));
            Assert.Equal(
                ["alias", "disabled", "enabled", "enabled-runtime", "generated", "indirect", "linked", "masked", "masked-runtime", "static"],
                expected.Values.Select(v => v.State).Distinct().Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string ListUnitFiles(string root) =>
        Fixtures.RunTool("systemctl", [.. root == "/" ? Array.Empty<string>() : [$"--root={root}"], "list-unit-files", "--no-pager", "--no-legend", "--full"]);

    /// <summary>"UNIT STATE PRESET" rows, strictly: a row of another shape fails the test rather than being skipped.</summary>
    private static SortedDictionary<string, UnitFileState> ParseListUnitFiles(string text)
    {
        var units = new SortedDictionary<string, UnitFileState>(StringComparer.Ordinal);
        foreach (var row in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(fields.Length == 3, $"not a list-unit-files row: {row}");
            units[fields[0]] = new UnitFileState(fields[1], fields[2] == "-" ? null : fields[2]);
        }

        return units;
    }

    private static string[] Lines(IDictionary<string, UnitFileState> units) =>
        [.. units.Select(u => $"{u.Key} {u.Value.State} {u.Value.Preset ?? "-"}")];
}
