using System.Globalization;
using System.Text.Json.Serialization;

namespace InfraDiff.Diffing;

/// <summary>
/// Who made a change, as real-time watching read it from /proc when the kernel reported the write: never guessed.
/// A process gone before it could be read is <see cref="Unknown"/>, with the reason, and nothing else.
/// </summary>
public sealed record ChangeActor
{
    /// <summary>When the first write to the path was seen.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Why the process could not be read ("exited"); null when it was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Unknown { get; init; }

    /// <summary>The process id the kernel reported.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pid { get; init; }

    /// <summary>Its executable ("/usr/bin/vim.basic").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Executable { get; init; }

    /// <summary>Its command line, secrets redacted, cut at 256 characters.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CommandLine { get; init; }

    /// <summary>The user it ran as (effective uid).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Uid { get; init; }

    /// <summary>That user's name, when the host's passwd names it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    /// <summary>The audit login uid: who logged in, kept across sudo and su; null when the process has none (a daemon).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LoginUid { get; init; }

    /// <summary>That login user's name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LoginUser { get; init; }

    /// <summary>The audit session id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Session { get; init; }

    /// <summary>Its parents, nearest first, up to init or the login session ("sudo (pid 4200, uid 0)"), as far as they could be read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>The package manager in its chain ("dpkg"), when one made the change.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PackageManager { get; init; }

    /// <summary>The command that ran the package manager ("apt-get install nginx"), when its chain shows one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PackageCommand { get; init; }

    /// <summary>How many other processes wrote to the same path before the cycle that found the change.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Others { get; init; }

    /// <summary>
    /// "by /usr/bin/vim.basic (pid 4242) as root, login alice, session 3, at 14:02:11Z"; "by apt-get install nginx (dpkg)";
    /// "by unknown (exited)": what a report line adds to a change.
    /// </summary>
    public override string ToString()
    {
        var at = At.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var others = Others switch { 0 => "", 1 => " and 1 other process", _ => $" and {Others} other processes" };
        if (Unknown is not null)
        {
            return $"by unknown ({Unknown}){others}, at {at}";
        }

        if (PackageManager is not null)
        {
            return $"by {PackageCommand ?? Executable ?? PackageManager} ({PackageManager}){others}, at {at}";
        }

        var login = LoginUid is { } loginUid ? $", login {LoginUser ?? loginUid.ToString(CultureInfo.InvariantCulture)}" : ", no login";
        var session = Session is { } s ? $", session {s}" : "";
        return $"by {Executable ?? "?"} (pid {Pid}) as {User ?? Uid?.ToString(CultureInfo.InvariantCulture) ?? "?"}{login}{session}{others}, at {at}";
    }
}
