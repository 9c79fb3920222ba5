using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// Checks a store without changing it (nothing written, no key made): the journal's MACs and chain, the remembered
/// head, each file against the journal, and every entry the store did not write. It can run beside a working watcher.
/// </summary>
public static class StoreVerifier
{
    /// <summary>How long a check that found problems is made again while the journal moves on under it, or a write it names is under way.</summary>
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(10);

    /// <summary>The problems found, first broken link first; empty when the store is intact.</summary>
    /// <exception cref="InfraDiffException">There is no such store.</exception>
    public static IReadOnlyList<string> Verify(string directory, StoreKey key, out StoreJournal journal)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var folder = ConfinedDirectory.Open(directory, create: false);
        var deadline = DateTime.UtcNow + Settling;
        List<string>? previous = null;
        long previousSequence = -1;
        while (true)
        {
            // A watcher writes a journal entry before its file and the remembered head after it: the head read first is
            // never ahead of the journal. A file being written or pruned while this reads looks gone, changed or
            // unrecorded for an instant: a problem counts once it is found twice over an unchanged journal, and no
            // sooner than the write the newest entry records could have finished.
            var files = SnapshotStore.FilesIn(folder).ToList();
            var opened = journal = StoreJournal.Open(folder, key);
            var problems = Check(folder, opened, files);
            var settled = opened.Sequence == previousSequence && problems.SequenceEqual(previous!)
                && !opened.Present().Any(p => !files.Contains(p.Name) && opened.MayBeWriting(p.Name, Settling));
            if (problems.Count == 0 || settled || DateTime.UtcNow > deadline)
            {
                return problems;
            }

            (previous, previousSequence) = (problems, journal.Sequence);
            Thread.Sleep(50);
        }
    }

    private static List<string> Check(ConfinedDirectory folder, StoreJournal journal, List<string> files)
    {
        var problems = new List<string>(journal.Problems);
        if (journal.IsEmpty)
        {
            problems.Add("the store has no journal (made before journals existed, or the journal was deleted)");
            return problems;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var manifests = new List<(string Name, ChunkedSnapshot? Manifest)>();
        foreach (var name in files)
        {
            byte[]? bytes;
            try
            {
                bytes = folder.Read(name, SnapshotStore.FileLimit);
            }
            catch (ConfinedFileException ex)
            {
                problems.Add($"{name}: {ex.Reason}");
                continue;
            }

            if (bytes is null)
            {
                continue;
            }

            seen.Add(name);
            if (journal.Check(name, bytes) == FileVerdict.Tampered)
            {
                problems.Add($"{name}: its content differs from what journal entry {journal.Sequence} and before recorded (edited, or an older copy restored)");
            }
            else if (ChunkedSnapshot.IsManifest(bytes))
            {
                manifests.Add((name, ChunkedSnapshot.Parse(bytes, out _)));
            }
        }

        problems.AddRange(CheckChunks(folder, manifests));

        foreach (var (name, _) in journal.Present().Where(p => !seen.Contains(p.Name)))
        {
            problems.Add($"{name}: the journal says it exists, and it is gone" + (journal.WriteNote(name) is { } note ? $" ({note})" : ""));
        }

        // Forged files, links and the like; a fleet's store holds a folder per host besides the store's own: folders at the top are left to it.
        problems.AddRange(SnapshotStore.Strays(folder, journal, (_, type) => type == LinuxFile.TypeDirectory).Select(s => $"{s.Name}: {s.Problem}"));
        return problems;
    }

    /// <summary>
    /// Each chunk's bytes against its name (each read once, however many snapshots share it), and each manifest's
    /// chunks against what is there.
    /// </summary>
    private static IEnumerable<string> CheckChunks(ConfinedDirectory folder, List<(string Name, ChunkedSnapshot? Manifest)> manifests)
    {
        var whole = new HashSet<string>(StringComparer.Ordinal);
        var buffer = ChunkedSnapshot.NewBuffer();
        foreach (var (entry, _) in folder.List(ChunkedSnapshot.Folder).Where(e => e.Type == LinuxFile.TypeRegular && ChunkedSnapshot.IsChunkName(e.Name)))
        {
            var name = $"{ChunkedSnapshot.Folder}/{entry}";
            byte[]? bytes = null;
            string? unreadable = null;
            try
            {
                bytes = folder.Read(name, ChunkedSnapshot.FileLimit);
            }
            catch (ConfinedFileException ex)
            {
                unreadable = $"{name}: {ex.Reason}";
            }

            if (unreadable is not null)
            {
                yield return unreadable;
            }
            else if (bytes is null)
            {
                continue;
            }
            else if (!ChunkedSnapshot.Inflate(bytes, entry[..64], buffer).IsEmpty)
            {
                whole.Add(entry[..64]);
            }
            else
            {
                yield return $"{name}: its content is not what its name is the hash of (edited)";
            }
        }

        foreach (var (name, manifest) in manifests)
        {
            if (manifest is null)
            {
                yield return $"{name}: not a chunked snapshot's manifest, though it begins as one";
            }
            else if (manifest.Chunks.Where(c => !whole.Contains(c)).Distinct().ToList() is { Count: > 0 } lacking)
            {
                yield return $"{name}: {lacking.Count} of its chunks missing or edited ({ChunkedSnapshot.FileOf(lacking[0])}{(lacking.Count > 1 ? ", …" : "")}): it cannot be read whole";
            }
        }
    }
}
