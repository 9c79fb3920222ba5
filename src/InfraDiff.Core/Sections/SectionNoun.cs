namespace InfraDiff.Sections;

/// <summary>How a report line names the things of one collection of a section.</summary>
/// <param name="collection">The key under the section that holds them ("accounts"); "" for the section's own keys.</param>
/// <param name="noun">What one of them is called ("user"): a line about <c>/users/accounts/alice</c> is about "user alice".</param>
/// <param name="keyed">
/// Whether the collection is keyed by the things' names (the default). A collection that is one thing (the os
/// section's "kernel" object) is not: a change below it is about "kernel", and the key below is its field.
/// </param>
public sealed class SectionNoun(string collection, string noun, bool keyed = true)
{
    /// <summary>The key under the section that holds the things; "" for the section's own keys.</summary>
    public string Collection { get; } = collection ?? throw new ArgumentNullException(nameof(collection));

    /// <summary>What one of them is called.</summary>
    public string Noun { get; } = noun ?? throw new ArgumentNullException(nameof(noun));

    /// <summary>Whether the collection's keys name the things (else the collection is one thing).</summary>
    public bool Keyed { get; } = keyed;

    /// <summary>
    /// The Elastic Common Schema field a thing's name goes to in an <c>ecs</c> record ("file.path", "package.name",
    /// "user.target.name"); null: only <c>infradiff.thing</c> names it.
    /// </summary>
    public string? EcsField { get; init; }
}
