namespace InfraDiff;

/// <summary>The base of every error infradiff raises on purpose; its message is one line fit for an operator.</summary>
public class InfraDiffException : Exception
{
    /// <summary>Creates an error with an operator-facing message.</summary>
    public InfraDiffException(string message)
        : base(message) { }

    /// <summary>Creates an error with an operator-facing message and its cause.</summary>
    public InfraDiffException(string message, Exception? innerException)
        : base(message, innerException) { }
}
