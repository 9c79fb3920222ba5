namespace InfraDiff.Sections.Config;

/// <summary>
/// Parses sshd_config(5) into settings as sshd applies them: keywords are case-insensitive and written in their
/// canonical spelling; for a single-valued keyword the first value wins; list keywords keep every value in order;
/// <c>Include</c> is expanded in place; each <c>Match</c> block is a key of its own ("Match User alice").
/// </summary>
internal static class SshdConfigParser
{
    private const int MaxIncludeDepth = 16;

    // Keywords sshd accepts more than once, each occurrence adding to a list.
    private static readonly HashSet<string> ListKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AcceptEnv", "AllowGroups", "AllowUsers", "DenyGroups", "DenyUsers", "HostCertificate", "HostKey", "ListenAddress",
        "PermitListen", "PermitOpen", "Port", "SetEnv", "Subsystem",
    };

    private static readonly Dictionary<string, string> Canonical = new[]
    {
        "AcceptEnv", "AddressFamily", "AllowAgentForwarding", "AllowGroups", "AllowStreamLocalForwarding", "AllowTcpForwarding",
        "AllowUsers", "AuthenticationMethods", "AuthorizedKeysCommand", "AuthorizedKeysCommandUser", "AuthorizedKeysFile",
        "AuthorizedPrincipalsCommand", "AuthorizedPrincipalsCommandUser", "AuthorizedPrincipalsFile", "Banner", "CASignatureAlgorithms",
        "ChallengeResponseAuthentication", "ChrootDirectory", "Ciphers", "ClientAliveCountMax", "ClientAliveInterval", "Compression",
        "DenyGroups", "DenyUsers", "DisableForwarding", "ExposeAuthInfo", "FingerprintHash", "ForceCommand", "GatewayPorts",
        "GSSAPIAuthentication", "GSSAPICleanupCredentials", "HostbasedAcceptedAlgorithms", "HostbasedAuthentication",
        "HostbasedUsesNameFromPacketOnly", "HostCertificate", "HostKey", "HostKeyAgent", "HostKeyAlgorithms", "IgnoreRhosts",
        "IgnoreUserKnownHosts", "IPQoS", "KbdInteractiveAuthentication", "KerberosAuthentication", "KexAlgorithms", "ListenAddress",
        "LoginGraceTime", "LogLevel", "MACs", "MaxAuthTries", "MaxSessions", "MaxStartups", "PasswordAuthentication",
        "PermitEmptyPasswords", "PermitListen", "PermitOpen", "PermitRootLogin", "PermitTTY", "PermitTunnel", "PermitUserEnvironment",
        "PermitUserRC", "PerSourceMaxStartups", "PerSourceNetBlockSize", "PidFile", "Port", "PrintLastLog", "PrintMotd",
        "PubkeyAcceptedAlgorithms", "PubkeyAuthentication", "PubkeyAuthOptions", "RekeyLimit", "RevokedKeys", "SetEnv",
        "StreamLocalBindMask", "StreamLocalBindUnlink", "StrictModes", "Subsystem", "SyslogFacility", "TCPKeepAlive",
        "TrustedUserCAKeys", "UseDNS", "UsePAM", "VersionAddendum", "X11DisplayOffset", "X11Forwarding", "X11UseLocalhost",
        "XAuthLocation",
    }.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The settings of <paramref name="text"/> (read from <paramref name="file"/>); <paramref name="include"/> gives the
    /// files an Include pattern names, in the order sshd reads them.
    /// </summary>
    public static SortedDictionary<string, object> Parse(string file, string text, Func<string, IEnumerable<(string Path, string Text)>> include, ConfigProblems problems)
    {
        var root = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var current = root;
        Read(file, text, 0);
        return root;

        void Read(string path, string content, int depth)
        {
            foreach (var (number, line) in ConfigLines.Read(content))
            {
                var (keyword, value) = Split(line);
                if (value.Length == 0)
                {
                    problems.Add(path, number, $"'{keyword}' has no value");
                    continue;
                }

                if (keyword.Equals("Include", StringComparison.OrdinalIgnoreCase))
                {
                    if (depth >= MaxIncludeDepth)
                    {
                        problems.Add(path, number, $"Include nested deeper than {MaxIncludeDepth} files");
                        continue;
                    }

                    foreach (var pattern in ConfigLines.Fields(value))
                    {
                        foreach (var (includedPath, includedText) in include(pattern))
                        {
                            Read(includedPath, includedText, depth + 1);
                        }
                    }

                    continue;
                }

                if (keyword.Equals("Match", StringComparison.OrdinalIgnoreCase))
                {
                    var name = "Match " + value;
                    if (!root.TryGetValue(name, out var block))
                    {
                        root[name] = block = new SortedDictionary<string, object>(StringComparer.Ordinal);
                    }

                    current = (SortedDictionary<string, object>)block;
                    continue;
                }

                var canonical = Canonical.GetValueOrDefault(keyword, keyword);
                if (ListKeywords.Contains(canonical))
                {
                    if (!current.TryGetValue(canonical, out var list))
                    {
                        current[canonical] = list = new List<string>();
                    }

                    ((List<string>)list).Add(value);
                }
                else
                {
                    current.TryAdd(canonical, value);
                }
            }
        }
    }

    /// <summary>"Keyword value", "Keyword=value" or "Keyword = value".</summary>
    private static (string Keyword, string Value) Split(string line)
    {
        var end = line.IndexOfAny([' ', '\t', '=']);
        if (end < 0)
        {
            return (line, "");
        }

        var rest = line[end..].TrimStart(' ', '\t');
        if (rest.StartsWith('='))
        {
            rest = rest[1..];
        }

        return (line[..end], ConfigLines.Collapse(rest));
    }
}
