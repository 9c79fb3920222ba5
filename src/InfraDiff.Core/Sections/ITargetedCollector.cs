using System.Text.Json;

namespace InfraDiff.Sections;

/// <summary>A path real-time watching saw change.</summary>
/// <param name="Path">The host path.</param>
/// <param name="Tree">Whether what is beneath it is new too (a folder moved in), so it is to be walked, not only examined.</param>
internal readonly record struct TouchedPath(string Path, bool Tree);

/// <summary>
/// A collector that brings its section up to date from the paths that changed, at the cost of those paths (the files
/// section: a host's hundreds of thousands of entries are not walked again for one write).
/// </summary>
internal interface ITargetedCollector : ICollector
{
    /// <summary>The folders the section records (what real-time watching marks the filesystems of).</summary>
    IEnumerable<string> Roots { get; }

    /// <summary>Whether the section records <paramref name="hostPath"/>.</summary>
    bool Covers(string hostPath);

    /// <summary>The section <paramref name="previous"/> with each touched path it covers examined again.</summary>
    Task<JsonElement> UpdateAsync(CollectionContext context, JsonElement previous, IReadOnlyCollection<TouchedPath> touched, CancellationToken cancellationToken);
}
