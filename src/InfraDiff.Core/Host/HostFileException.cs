namespace InfraDiff.Host;

/// <summary>A host file that infradiff refuses to read: not a regular file (a FIFO would block), larger than the limit, or a symlink loop.</summary>
public sealed class HostFileException(string message) : IOException(message);
