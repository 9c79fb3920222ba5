using System.Diagnostics;

namespace InfraDiff.Tests.Support;

/// <summary>
/// Files whose names are bytes no string can hold (invalid UTF-8, as an intruder or a Latin-1 host may write them),
/// made by real tools: <c>xargs -0</c> hands each name to the program exactly as it reads it from stdin.
/// </summary>
internal static class RawNames
{
    /// <summary>The bytes of <paramref name="directory"/>, then "/", then <paramref name="name"/>.</summary>
    public static byte[] Join(string directory, params byte[] name) => [.. System.Text.Encoding.UTF8.GetBytes(directory + "/"), .. name];

    /// <summary>Runs <c>xargs -0 <paramref name="program"/> <paramref name="arguments"/></c> with <paramref name="paths"/> as the trailing arguments.</summary>
    public static void Run(string program, IEnumerable<byte[]> paths, params string[] arguments)
    {
        var start = new ProcessStartInfo("xargs") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-0", program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using (var input = process.StandardInput.BaseStream)
        {
            foreach (var path in paths)
            {
                input.Write(path);
                input.WriteByte(0);
            }
        }

        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"xargs -0 {program} exited {process.ExitCode}: {stderr}");
    }

    /// <summary>Every path under <paramref name="directory"/> as <c>find -print0</c> gives it: raw bytes.</summary>
    public static List<byte[]> Find(string directory)
    {
        var start = new ProcessStartInfo("find") { RedirectStandardOutput = true, ArgumentList = { directory, "-print0" } };
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        var bytes = output.ToArray();
        var paths = new List<byte[]>();
        for (var from = 0; from < bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)0, from);
            paths.Add(bytes[from..end]);
            from = end + 1;
        }

        return paths;
    }
}
