using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InfraDiff.Tests.Support;

/// <summary>
/// Applies patches with fast-json-patch under Node.js (oracle/apply-patches.js), an RFC 6902 implementation
/// independent of infradiff, and says for each case and patch whether it turned BEFORE into AFTER.
/// </summary>
internal static class PatchOracle
{
    public sealed record Case(string Before, string After, IReadOnlyDictionary<string, string> Patches);

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Apply(IReadOnlyList<Case> cases)
    {
        var directory = typeof(PatchOracle).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OracleDirectory").Value!;
        var input = Path.GetTempFileName();
        try
        {
            var lines = new StringBuilder();
            foreach (var c in cases)
            {
                var patches = new JsonObject();
                foreach (var (name, patch) in c.Patches)
                {
                    patches[name] = JsonNode.Parse(patch);
                }

                var line = new JsonObject { ["before"] = JsonNode.Parse(c.Before), ["after"] = JsonNode.Parse(c.After), ["patches"] = patches };
                lines.Append(line.ToJsonString()).Append('\n');
            }

            File.WriteAllText(input, lines.ToString());
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            start.ArgumentList.Add(Path.Join(directory, "apply-patches.js"));
            start.ArgumentList.Add(input);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"the patch oracle failed: {stderr.Result}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => (IReadOnlyDictionary<string, string>)JsonDocument.Parse(l).RootElement.GetProperty("results").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))
                .ToList();
        }
        finally
        {
            File.Delete(input);
        }
    }
}
