using InfraDiff.Sections;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>User names by uid from the host's /etc/passwd, read again when it changed (its size or time), for naming who made a change.</summary>
internal sealed class UserNames
{
    private readonly Lock gate = new();
    private (long Size, DateTime Written) seen;
    private Dictionary<long, string> names = [];

    public string? Of(long uid)
    {
        lock (gate)
        {
            try
            {
                var file = new FileInfo("/etc/passwd");
                if ((file.Length, file.LastWriteTimeUtc) != seen && file.Length < (4 << 20))
                {
                    names = AccountParsers.UserNames(File.ReadAllText(file.FullName));
                    seen = (file.Length, file.LastWriteTimeUtc);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Without the file, a uid is told as a number.
            }

            return names.GetValueOrDefault(uid);
        }
    }
}
