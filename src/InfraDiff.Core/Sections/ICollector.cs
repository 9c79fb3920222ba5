namespace InfraDiff.Sections;

/// <summary>
/// Collects one section of a snapshot. The returned model is serialized with <see cref="Snapshots.SnapshotJson.Options"/>
/// (a <see cref="System.Text.Json.JsonElement"/> is taken as it is) and must be a JSON object; collections with a
/// natural identity should be dictionaries keyed by it.
/// </summary>
public interface ICollector
{
    /// <summary>The section's top-level key, e.g. "users".</summary>
    string Name { get; }

    /// <summary>
    /// What the section means (nouns, default severities, parts): reports summarize and rank its changes by it. By
    /// default undeclared: a collector of a built-in section's name keeps that section's meaning, any other's changes are low.
    /// </summary>
    SectionDescriptor Section => SectionDescriptor.Undeclared(Name);

    /// <summary>Reads the host through <paramref name="context"/> and returns the section.</summary>
    /// <exception cref="CollectorUnavailableException">The section's source does not exist on this host.</exception>
    Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default);
}
