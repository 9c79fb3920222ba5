namespace InfraDiff;

/// <summary>An option set to a value it cannot take: the message names the option ("WebhookOptions.MaxAttempts: must be at least 1 (was 0)").</summary>
public sealed class InvalidOptionException(string option, string problem) : InfraDiffException($"{option}: {problem}")
{
    /// <summary>The option, as Type.Property ("FilesCollectorOptions.Roots").</summary>
    public string Option { get; } = option;

    /// <summary>What is wrong with its value.</summary>
    public string Problem { get; } = problem;
}
