namespace InfraDiff.Alerting;

/// <summary>
/// An alert a sink could not deliver. The monitor keeps it in the outbox and tries again later, unless
/// <see cref="Permanent"/>: the receiver refused it for good (a 4xx other than 408 and 429), and sending it again
/// would only block the alerts behind it, so it is set aside as dead.
/// </summary>
public sealed class AlertDeliveryException(string message, Exception? innerException = null, bool permanent = false) : InfraDiffException(message, innerException)
{
    /// <summary>Whether the receiver refused the alert for good.</summary>
    public bool Permanent { get; } = permanent;
}
