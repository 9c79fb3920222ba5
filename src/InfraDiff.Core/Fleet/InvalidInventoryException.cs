namespace InfraDiff.Fleet;

/// <summary>An inventory file is missing, unreadable or not one of the formats infradiff reads; or a host pattern matches nothing.</summary>
public sealed class InvalidInventoryException(string message, Exception? innerException = null)
    : InfraDiffException(message, innerException);
