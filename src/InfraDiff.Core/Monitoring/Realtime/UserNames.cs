using InfraDiff.Host;
using InfraDiff.Sections;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>User names by uid from the host's /etc/passwd, read again when it changed, for naming who made a change.</summary>
internal sealed class UserNames(IHostFileSystem files)
{
    private readonly Lock gate = new();
    private string? text;
    private Dictionary<long, string> names = [];

    public string? Of(long uid)
    {
        lock (gate)
        {
            try
            {
                // A small file, read whole: parsed again only when its text changed.
                if (files.ReadTextOrNull("/etc/passwd", 4 << 20) is { } passwd && passwd != text)
                {
                    names = AccountParsers.UserNames(passwd);
                    text = passwd;
                }
            }
            catch (Exception ex) when (ex is HostFileException or IOException or UnauthorizedAccessException)
            {
                // Without the file, a uid is told as a number.
            }

            return names.GetValueOrDefault(uid);
        }
    }
}
