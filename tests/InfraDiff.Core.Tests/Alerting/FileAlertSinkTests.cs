using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Tests.Reporting;

namespace InfraDiff.Tests.Alerting;

/// <summary>The file sink: generic or ECS lines in a real file, rotated by size, each file owner-only.</summary>
public sealed class FileAlertSinkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-file-sink-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string File(string name = "alerts.jsonl") => Path.Join(directory, name);

    [Fact]
    public async Task Ecs_records_are_one_json_object_a_line_one_per_change_then_the_report()
    {
        await new FileAlertSink(File(), "ecs").SendAsync(MessageFormatTests.Alert(3));

        var records = System.IO.File.ReadAllLines(File()).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal("8.11.0", r.GetProperty("ecs").GetProperty("version").GetString()));
        Assert.Equal(["event", "event", "event", "event"], records.Select(r => r.GetProperty("event").GetProperty("kind").GetString()));
        Assert.Equal("drift-report", records[^1].GetProperty("event").GetProperty("action").GetString());
        Assert.Equal("600", Convert.ToString((int)System.IO.File.GetUnixFileMode(File()), 8));
    }

    [Fact]
    public async Task A_file_past_its_size_is_rotated_keeping_five_and_no_alert_is_split_across_files()
    {
        var sink = new FileAlertSink(File(), rotateAt: 4096);
        for (var i = 0; i < 40; i++)
        {
            await sink.SendAsync(MessageFormatTests.Alert(2));
        }

        Assert.Equal(["alerts.jsonl", "alerts.jsonl.1", "alerts.jsonl.2", "alerts.jsonl.3", "alerts.jsonl.4", "alerts.jsonl.5"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(directory))
        {
            Assert.True(new FileInfo(file).Length <= 4096, $"{file}: {new FileInfo(file).Length} bytes");
            Assert.Equal("600", Convert.ToString((int)System.IO.File.GetUnixFileMode(file), 8));
            Assert.All(System.IO.File.ReadAllLines(file), l => Assert.Equal(2, JsonDocument.Parse(l).RootElement.GetProperty("changes").GetArrayLength()));
        }
    }

    [Fact]
    public void A_format_it_does_not_write_is_refused()
    {
        var problem = Assert.Throws<ArgumentException>(() => new FileAlertSink(File(), "slack"));

        Assert.StartsWith("'slack' is not one of generic, ecs", problem.Message, StringComparison.Ordinal);
    }
}
