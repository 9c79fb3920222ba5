using InfraDiff.Host;

namespace InfraDiff.Sections.Users;

/// <summary>
/// The <c>users</c> section: accounts (with password status and authorized-key fingerprints, never hashes or keys),
/// groups with members, and sudoers rules per file.
/// </summary>
internal sealed class UsersCollector : ICollector
{
    private static readonly string[] AuthorizedKeyFiles = [".ssh/authorized_keys", ".ssh/authorized_keys2"];

    public string Name => UsersSection.Instance.Name;


    public SectionDescriptor Section => UsersSection.Instance;

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var files = context.Files;
        var passwd = files.ReadTextOrNull("/etc/passwd") ?? throw new CollectorUnavailableException("no /etc/passwd");
        var shadow = context.ReadTextOrReport("/etc/shadow", "passwordStatus") is { } text ? AccountParsers.ParseShadow(text) : null;
        if (shadow is null && !files.FileExists("/etc/shadow"))
        {
            context.ReportUnavailable("passwordStatus", "no /etc/shadow");
        }

        var accounts = new SortedDictionary<string, Account>(StringComparer.Ordinal);
        foreach (var entry in AccountParsers.ParsePasswd(passwd))
        {
            var password = shadow?.GetValueOrDefault(entry.Name);
            accounts[entry.Name] = new Account(
                entry.Uid,
                entry.Gid,
                entry.Gecos,
                entry.Home,
                entry.Shell,
                password?.Status,
                password?.LastChanged,
                ReadAuthorizedKeys(context, entry.Name, entry.Home));
        }

        var groups = new SortedDictionary<string, Group>(StringComparer.Ordinal);
        foreach (var group in AccountParsers.ParseGroup(files.ReadTextOrNull("/etc/group") ?? ""))
        {
            groups[group.Name] = new Group(group.Gid, group.Members);
        }

        return Task.FromResult<object>(new UsersModel(accounts, groups, ReadSudoers(context)));
    }

    private static SortedDictionary<string, AuthorizedKey>? ReadAuthorizedKeys(CollectionContext context, string account, string home)
    {
        if (!home.StartsWith('/'))
        {
            return null;
        }

        SortedDictionary<string, AuthorizedKey>? keys = null;
        foreach (var file in AuthorizedKeyFiles)
        {
            var path = home.TrimEnd('/') + "/" + file;
            if (context.ReadTextOrReport(path, $"accounts/{JsonPointer.Escape(account)}/authorizedKeys") is { } text)
            {
                keys ??= new SortedDictionary<string, AuthorizedKey>(StringComparer.Ordinal);
                foreach (var (fingerprint, key) in AuthorizedKeysParser.Parse(text))
                {
                    keys[fingerprint] = key;
                }
            }
        }

        return keys;
    }

    /// <summary>
    /// /etc/sudoers and the files sudo reads from /etc/sudoers.d: as sudo does, names ending in "~" or
    /// containing "." are skipped.
    /// </summary>
    private static SortedDictionary<string, IReadOnlyList<string>> ReadSudoers(CollectionContext context)
    {
        var sudoers = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var paths = new List<string> { "/etc/sudoers" };
        paths.AddRange(context.Files.ListFiles("/etc/sudoers.d").Where(p =>
        {
            var name = Path.GetFileName(p);
            return !name.EndsWith('~') && !name.Contains('.', StringComparison.Ordinal);
        }));
        foreach (var path in paths)
        {
            if (context.ReadTextOrReport(path, "sudoers/" + JsonPointer.Escape(path)) is { } text)
            {
                sudoers[path] = SudoersParser.Parse(text);
            }
        }

        return sudoers;
    }
}

internal sealed record UsersModel(
    SortedDictionary<string, Account> Accounts,
    SortedDictionary<string, Group> Groups,
    SortedDictionary<string, IReadOnlyList<string>> Sudoers);

internal sealed record Account(
    long Uid,
    long Gid,
    string Gecos,
    string Home,
    string Shell,
    string? Password,
    string? PasswordChanged,
    SortedDictionary<string, AuthorizedKey>? AuthorizedKeys);

internal sealed record Group(long Gid, IReadOnlyList<string> Members);
