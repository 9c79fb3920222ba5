namespace InfraDiff.Host;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
