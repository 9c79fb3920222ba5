using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace InfraDiff.IntegrationTests.Packaging;

/// <summary>
/// The packages as they ship: packed for real, consumed by a project that only knows the nupkg, reproducible from any
/// folder, and with a public API that cannot change unnoticed.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly string Repository = typeof(PackageTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryDirectory").Value!;

    private readonly string work = Directory.CreateTempSubdirectory("idt-package-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task A_project_on_the_packed_nupkg_configures_replaces_removes_and_hosts_through_di()
    {
        // A version no other run used: the consumer's restore must take this package, not one cached under the same number.
        var version = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Join(work, "feed");
        await DotnetAsync(Repository, "pack", "src/InfraDiff.Core", "-c", "Release", "-o", feed, $"-p:Version={version}");
        var consumer = Path.Join(Repository, "tests", "InfraDiff.PackageTests");
        Assert.DoesNotContain("ProjectReference", await File.ReadAllTextAsync(Path.Join(consumer, "InfraDiff.PackageTests.csproj")), StringComparison.Ordinal);
        try
        {
            var output = await DotnetAsync(
                consumer, "test", $"-p:InfraDiffPackageVersion={version}", $"-p:RestoreAdditionalProjectSources={feed}", "--artifacts-path", Path.Join(work, "artifacts"));

            Assert.Contains("Passed!  - Failed:     0, Passed:     3, Skipped:     0, Total:     3", output, StringComparison.Ordinal);
        }
        finally
        {
            // The one-off version would otherwise stay in the machine's package cache for good.
            var cached = Path.Join(PackagesFolder(), "infradiff.core", version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Packed_in_two_folders_the_dlls_are_identical_and_an_undeclared_public_change_fails_the_build()
    {
        var digests = new List<Dictionary<string, string>>();
        foreach (var name in new[] { "one", "elsewhere/two" })
        {
            var clone = Path.Join(work, name);
            await Tool.RunCheckedAsync("git", ["clone", "--quiet", Repository, clone], work);
            await DotnetAsync(clone, "pack", "InfraDiff.sln", "-c", "Release", "-o", Path.Join(clone, "out"), "-p:ContinuousIntegrationBuild=true");
            digests.Add(DllDigests(Path.Join(clone, "out")));
        }

        Assert.Contains(digests[0].Keys, k => k.StartsWith("InfraDiff.Core.", StringComparison.Ordinal) && k.EndsWith(":lib/net10.0/InfraDiff.Core.dll", StringComparison.Ordinal));
        Assert.Contains(digests[0].Keys, k => k.StartsWith("infradiff.", StringComparison.Ordinal) && k.EndsWith("/infradiff.dll", StringComparison.Ordinal));
        Assert.Equal(digests[0], digests[1]);

        var clone1 = Path.Join(work, "one");
        var file = Path.Join(clone1, "src", "InfraDiff.Core", "Excerpt.cs");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text.Replace("public static class Excerpt\n{", "public static class Excerpt\n{\n    /// <summary>Not declared.</summary>\n    public static int Undeclared => 1;\n", StringComparison.Ordinal));
        var build = await Tool.RunAsync("dotnet", ["build", "src/InfraDiff.Core", "-c", "Release"], clone1, NestedBuild);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("RS0016: Symbol 'static InfraDiff.Excerpt.Undeclared.get -> int' is not part of the declared public API", build.Output, StringComparison.Ordinal);
    }

    /// <summary>SHA-256 of every DLL in every nupkg of a folder, by its path inside the package.</summary>
    private static Dictionary<string, string> DllDigests(string folder)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in Directory.EnumerateFiles(folder, "*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(package);
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                digests[$"{Path.GetFileName(package)}:{entry.FullName}"] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }

        return digests;
    }

    private static string PackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder ? folder : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A nested build must not join this test host's build servers.</summary>
    private static readonly Dictionary<string, string> NestedBuild = new() { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };

    private static async Task<string> DotnetAsync(string directory, params string[] arguments) =>
        (await Tool.RunCheckedAsync("dotnet", arguments, directory, NestedBuild)).Output;
}
