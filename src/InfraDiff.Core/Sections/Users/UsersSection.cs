namespace InfraDiff.Sections.Users;

/// <summary>What the <c>users</c> section means: accounts, groups and sudoers, and who can become root or log in.</summary>
internal sealed class UsersSection : SectionDescriptor
{
    private static readonly string[] PrivilegedGroups = ["root", "sudo", "wheel", "admin", "adm", "docker", "shadow", "disk"];

    private static readonly string[] RootGroups = ["root", "sudo", "wheel", "admin"];

    public static UsersSection Instance { get; } = new();

    private UsersSection()
        : base("users")
    {
        const ChangeKind Add = ChangeKind.Add;
        const ChangeKind Replace = ChangeKind.Replace;
        Inputs = ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/root/.ssh", "/home/*/.ssh"];
        Nouns = [new("accounts", "user") { EcsField = "user.target.name" }, new("groups", "group") { EcsField = "group.name" }, new("sudoers", "sudoers")];
        EcsCategory = "iam";
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["passwordStatus"] = ["/users/accounts/*/password", "/users/accounts/*/passwordChanged"] };
        SeverityRules =
        [
            // A new way to be root.
            SeverityRule.Of("/users/accounts/*", Severity.Critical, [Add], "new.uid == 0"),
            SeverityRule.Of("/users/accounts/*/uid", Severity.Critical, [], "new == 0"),
            SeverityRule.Of("/users/accounts/root/authorizedKeys", Severity.Critical, [Add]),
            SeverityRule.Of("/users/sudoers", Severity.Critical, [Add, Replace], @"new =~ NOPASSWD|=\s*(\([^)]*\)\s*)?ALL\b"),
            .. RootGroups.Select(g => SeverityRule.Of($"/users/groups/{g}/members", Severity.Critical, [Add])),

            // Who can log in or get privileges.
            SeverityRule.Of("/users/accounts", Severity.High),
            SeverityRule.Of("/users/sudoers", Severity.High),
            .. PrivilegedGroups.Select(g => SeverityRule.Of($"/users/groups/{g}", Severity.High)),
            SeverityRule.Of("/users", Severity.Medium),
        ];
    }
}
