using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace InfraDiff.Sections.Network;

/// <summary>A listening socket: who owns it, by process name (never a PID).</summary>
internal sealed record ListeningSocket(IReadOnlyList<string> Processes);

/// <summary>Parses listening TCP and bound UDP sockets from <c>ss -tulpnH</c>, or from /proc/net where ss is missing.</summary>
internal static partial class SocketParsers
{
    /// <summary>
    /// <c>ss -tulpnH</c>: "Netid State Recv-Q Send-Q Local:Port Peer:Port [users:((…))]". Keys are
    /// "tcp/127.0.0.1:22", "tcp6/[::]:22", "udp/*:5353"; the queue counters are dropped.
    /// </summary>
    public static SortedDictionary<string, ListeningSocket> ParseSs(string text)
    {
        var sockets = new SortedDictionary<string, ListeningSocket>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[0] is not ("tcp" or "udp") || !fields[4].Contains(':', StringComparison.Ordinal))
            {
                // Not what ss -tulpnH prints: a broken tool must not read as "every socket closed".
                throw new FormatException($"not ss -tulpnH output: {Excerpt.Cut(line)}");
            }

            if (fields[1] is not ("LISTEN" or "UNCONN"))
            {
                continue;
            }

            var local = fields[4];
            var family = local.StartsWith('[') ? fields[0] + "6" : fields[0];
            var users = string.Join(' ', fields.Skip(6));
            sockets[$"{family}/{local}"] = new ListeningSocket(ProcessNames(users));
        }

        return sockets;
    }

    /// <summary>The quoted names in users:(("sshd",pid=1,fd=3),("sshd",pid=2,fd=3)), distinct and sorted.</summary>
    private static string[] ProcessNames(string users) =>
        [.. UserEntry().Matches(users).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\(""((?:[^""\\]|\\.)*)"",pid=")]
    private static partial Regex UserEntry();

    /// <summary>
    /// One /proc/net/{tcp,tcp6,udp,udp6} table: hex "address:port", state 0A (TCP LISTEN) or 07 (UDP unconnected);
    /// <paramref name="owners"/> maps socket inodes to process names (from /proc/*/fd).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, ListeningSocket>> ParseProcNet(string text, string protocol, IReadOnlyDictionary<string, IReadOnlyList<string>> owners)
    {
        var ipv6 = protocol.EndsWith('6');
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != (protocol.StartsWith("tcp", StringComparison.Ordinal) ? "0A" : "07"))
            {
                continue;
            }

            var colon = fields[1].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            var address = HexAddress(fields[1][..colon], ipv6);
            if (address is null)
            {
                continue;
            }

            var local = ipv6 ? $"[{address}]:{port}" : $"{address}:{port}";
            yield return new($"{protocol}/{local}", new ListeningSocket(owners.GetValueOrDefault(fields[9]) ?? []));
        }
    }

    /// <summary>/proc/net writes addresses as host-order 32-bit words in hex.</summary>
    private static string? HexAddress(string hex, bool ipv6)
    {
        if (hex.Length != (ipv6 ? 32 : 8))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return new IPAddress(bytes).ToString();
    }
}
