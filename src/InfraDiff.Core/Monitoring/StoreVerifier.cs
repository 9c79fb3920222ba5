namespace InfraDiff.Monitoring;

/// <summary>Checks a store without changing it: the journal's MACs and chain, the remembered head, and each file against the journal.</summary>
public static class StoreVerifier
{
    /// <summary>The problems found, first broken link first; empty when the store is intact.</summary>
    public static IReadOnlyList<string> Verify(string directory, StoreKey key, out StoreJournal journal)
    {
        ArgumentNullException.ThrowIfNull(key);
        journal = StoreJournal.Open(directory, key);
        var problems = new List<string>(journal.Problems);
        if (journal.IsEmpty)
        {
            problems.Add("the store has no journal (made before journals existed, or the journal was deleted)");
            return problems;
        }

        var full = Path.GetFullPath(directory);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in SnapshotStore.FilesIn(full))
        {
            var name = Path.GetRelativePath(full, file);
            seen.Add(name);
            var verdict = journal.Check(name, File.ReadAllBytes(file));
            if (verdict == FileVerdict.Tampered)
            {
                problems.Add($"{name}: its content differs from what journal entry {journal.Sequence} and before recorded (edited, or an older copy restored)");
            }
            else if (verdict == FileVerdict.Unknown)
            {
                problems.Add($"{name}: the journal never recorded it (forged, or written by something else)");
            }
        }

        foreach (var (name, _) in journal.Present().Where(p => !seen.Contains(p.Name)))
        {
            problems.Add($"{name}: the journal says it exists, and it is gone");
        }

        return problems;
    }
}
