using System.Globalization;

namespace InfraDiff.Reporting;

/// <summary>What every message format (the chats, email) says the same way: its title, its time, and the lines it lists.</summary>
internal static class ChatText
{
    /// <summary>The most change lines a chat message lists; the rest are counted.</summary>
    public const int MaxLines = 20;

    /// <summary>"infradiff: 3 changes on web1"; a heartbeat's says so, and what it notes (the changes nobody acknowledged).</summary>
    public static string Title(DriftAlert alert) =>
        alert.Heartbeat ? $"infradiff: heartbeat from {HostText.Clean(alert.Host)}{(alert.Report.Notices is [var notice, ..] ? ": " + HostText.Clean(notice) : "")}"
        : $"infradiff: {alert.Report.Changes.Count:N0} change{(alert.Report.Changes.Count == 1 ? "" : "s")} on {HostText.Clean(alert.Host)}";

    /// <summary>"2026-11-27 15:00:00 UTC".</summary>
    public static string When(DriftAlert alert) => alert.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The lines a message lists, most severe first, and how many changes the rest stand for.</summary>
    public static (IReadOnlyList<ReportLine> Shown, int More) Lines(DriftAlert alert, int max = MaxLines)
    {
        var lines = ReportView.Of(alert.Report).Lines;
        return (lines.Take(max).ToList(), lines.Skip(max).Sum(l => l.Count));
    }
}
