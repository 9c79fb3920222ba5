namespace InfraDiff.Sections;

/// <summary>Thrown by a collector whose source does not exist on this host (no tool, no engine): not a failure.</summary>
public sealed class CollectorUnavailableException(string reason) : InfraDiffException(reason);
