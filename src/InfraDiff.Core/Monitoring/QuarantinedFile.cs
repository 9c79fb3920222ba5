namespace InfraDiff.Monitoring;

/// <summary>A store file that could not be trusted and was moved aside.</summary>
/// <param name="Name">Its name in the store ("baseline.json", "outbox/….json").</param>
/// <param name="MovedTo">Where it is now.</param>
/// <param name="Reason">Why it was not trusted.</param>
public sealed record QuarantinedFile(string Name, string MovedTo, string Reason);
