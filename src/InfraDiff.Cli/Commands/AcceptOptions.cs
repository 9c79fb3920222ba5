using System.CommandLine;
using System.Globalization;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary>What every accepting command reads: the changes by id (or --all), why, and who.</summary>
internal sealed class AcceptOptions
{
    private readonly Argument<string[]> ids = new("ID") { Description = "The changes to accept, by the id every report shows beside them (ten hex digits).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> reason = new("--reason") { Description = "Why the changes are fine (required; journalled with them).", HelpName = "TEXT" };
    private readonly Option<string?> by = new("--by") { Description = "Who accepts them [default: the invoking user: SUDO_USER, else the login user, else the current one].", HelpName = "NAME" };
    private readonly Option<bool> all;

    public AcceptOptions(string allDescription) => all = new("--all") { Description = allDescription };

    public void AddTo(Command command)
    {
        command.Arguments.Add(ids);
        command.Options.Add(reason);
        command.Options.Add(by);
        command.Options.Add(all);
    }

    /// <summary>The ids asked for (null for --all, lower case), the reason and who.</summary>
    /// <exception cref="InfraDiffException">No id and no --all, both, an id that is not one, or no reason.</exception>
    public (IReadOnlyCollection<string>? Ids, string Reason, string By) Read(ParseResult parseResult)
    {
        var named = parseResult.GetValue(ids) ?? [];
        var everything = parseResult.GetValue(all);
        if (named.Length == 0 && !everything)
        {
            throw new InfraDiffException("name the changes to accept by their ids (every report shows them), or give --all");
        }

        if (named.Length > 0 && everything)
        {
            throw new InfraDiffException("give ids or --all, not both");
        }

        if (named.FirstOrDefault(i => !ChangeId.IsWellFormed(i)) is { } bad)
        {
            throw new InfraDiffException($"{HostText.Visible(bad)}: not a change id (ten hex digits, as every report shows beside a change)");
        }

        var why = parseResult.GetValue(reason);
        if (string.IsNullOrWhiteSpace(why))
        {
            throw new InfraDiffException("--reason is required: say why the changes are fine (it is journalled with them)");
        }

        var who = parseResult.GetValue(by) is { Length: > 0 } given ? given : Invoker();
        return (everything ? null : [.. named.Select(i => i.ToLowerInvariant())], why, who);
    }

    /// <summary>"accepted 3f9a2c7e1b [high] package openssl: … into the baseline of WHERE, by alice".</summary>
    public static string Line(Acceptance acceptance, string where)
    {
        ArgumentNullException.ThrowIfNull(acceptance);
        var what = acceptance.Id == Acceptance.All ? $"all {acceptance.Summary}" : $"{acceptance.Id} [{EnumNames.Of(acceptance.Severity)}] {acceptance.Summary}";
        var how = acceptance.Action == AcceptanceAction.Baseline ? $"into the baseline of {where}" : $"as acknowledged in {where}";
        return HostText.Visible($"accepted {what} {how}, by {acceptance.By}");
    }

    /// <summary>The invoking user as the system knows it: who ran sudo, else the login user (the audit login uid), else this process's user.</summary>
    private static string Invoker()
    {
        if (Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudo)
        {
            return sudo;
        }

        try
        {
            var text = File.ReadAllText("/proc/self/loginuid").Trim();
            if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid != uint.MaxValue
                && File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == text) is { } entry)
            {
                return entry[0];
            }
        }
        catch (IOException)
        {
            // No audit login uid here (a container): the process's user is the next best.
        }

        return Environment.UserName;
    }
}
