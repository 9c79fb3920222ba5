namespace InfraDiff;

/// <summary>How infradiff writes an enum value in snapshots, reports, alerts and logs: its JSON name, lower case ("critical", "timedout").</summary>
public static class EnumNames
{
    /// <summary>The written name of <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
