namespace InfraDiff.Sections.Config;

/// <summary>What modprobe.d says about modules: blacklisted names, install commands (often "/bin/false" to forbid a module), and options.</summary>
internal sealed record ModprobeSettings(
    SortedDictionary<string, bool> Blacklist,
    SortedDictionary<string, string> Install,
    SortedDictionary<string, string> Options);

/// <summary>Parses modprobe.d(5) "blacklist", "install" and "options" commands; other commands are left out.</summary>
internal static class ModprobeConfigParser
{
    public static void Parse(string file, string text, ModprobeSettings into, ConfigProblems problems)
    {
        foreach (var (number, line) in ConfigLines.Read(text, continuations: true))
        {
            var fields = ConfigLines.Fields(line);
            switch (fields[0])
            {
                case "blacklist" when fields.Length == 2:
                    into.Blacklist[fields[1]] = true;
                    break;
                case "install" when fields.Length >= 3:
                    into.Install[fields[1]] = string.Join(' ', fields.Skip(2));
                    break;
                case "options" when fields.Length >= 3:
                    // Options for one module accumulate across lines, as modprobe does.
                    var options = string.Join(' ', fields.Skip(2));
                    into.Options[fields[1]] = into.Options.TryGetValue(fields[1], out var earlier) ? earlier + " " + options : options;
                    break;
                case "blacklist" or "install" or "options":
                    problems.Add(file, number, $"'{fields[0]}' with the wrong number of arguments");
                    break;
                case "alias" or "remove" or "softdep" or "softdeps" or "include":
                    break;
                default:
                    problems.Add(file, number, $"unknown command '{fields[0]}'");
                    break;
            }
        }
    }
}
