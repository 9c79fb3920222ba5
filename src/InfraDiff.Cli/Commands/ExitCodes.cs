namespace InfraDiff.Cli.Commands;

/// <summary>The process exit codes every command shares.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Drift was found (diff, check).</summary>
    public const int Drift = 1;

    /// <summary>Bad input or a failure that produced no result.</summary>
    public const int Error = 2;

    /// <summary>A snapshot was written, but at least one collector failed or timed out.</summary>
    public const int Partial = 3;
}
