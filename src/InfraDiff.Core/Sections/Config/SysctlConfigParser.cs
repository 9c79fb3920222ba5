namespace InfraDiff.Sections.Config;

/// <summary>One configured kernel parameter: the value the boot applies, the file that sets it last, and the live value where the host is live.</summary>
internal sealed record SysctlSetting(string Value, string File, string? Live);

/// <summary>Parses sysctl.conf(5) and sysctl.d(5) files: "key = value", "-key = value" (errors ignored), '#' and ';' comments.</summary>
internal static class SysctlConfigParser
{
    /// <summary>The assignments of one file, in order; a key written with '/' is given with '.', as sysctl does.</summary>
    public static IEnumerable<(string Key, string Value)> Parse(string file, string text, ConfigProblems problems)
    {
        foreach (var (number, line) in ConfigLines.Read(text, comment: "#;"))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? "" : line[..equals].Trim().TrimStart('-');
            if (equals < 0 || key.Length == 0)
            {
                problems.Add(file, number, "expected 'key = value'");
                continue;
            }

            yield return (key.Replace('/', '.'), ConfigLines.Collapse(line[(equals + 1)..]));
        }
    }
}
