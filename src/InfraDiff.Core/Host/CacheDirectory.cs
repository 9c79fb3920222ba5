namespace InfraDiff.Host;

/// <summary>Where infradiff keeps what it may rebuild (hash caches, the package index, keys it made for itself): one folder per user.</summary>
public static class CacheDirectory
{
    /// <summary>$XDG_CACHE_HOME/infradiff, else ~/.cache/infradiff.</summary>
    public static string Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return Path.Join(string.IsNullOrEmpty(xdg) ? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg, "infradiff");
    }
}
