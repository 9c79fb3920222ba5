namespace InfraDiff.Diffing;

/// <summary>One step of an edit script.</summary>
internal enum Edit : byte
{
    /// <summary>The element is in both sequences.</summary>
    Keep,

    /// <summary>The element of the first sequence is not in the second.</summary>
    Delete,

    /// <summary>The element of the second sequence is not in the first.</summary>
    Insert,
}

/// <summary>Myers' O((N+M)D) shortest edit script between two sequences given by their lengths and an equality on positions.</summary>
internal static class Myers
{
    /// <summary>
    /// The shortest script turning the first sequence (length <paramref name="n"/>) into the second (length
    /// <paramref name="m"/>), or null when its length D would pass <paramref name="maxEdits"/>.
    /// </summary>
    public static List<Edit>? Script(int n, int m, Func<int, int, bool> equal, int maxEdits)
    {
        if (n == 0 || m == 0)
        {
            return [.. Enumerable.Repeat(Edit.Delete, n), .. Enumerable.Repeat(Edit.Insert, m)];
        }

        var maxD = Math.Min(n + m, maxEdits);
        var offset = maxD + 1;
        var v = new int[2 * maxD + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= maxD; d++)
        {
            trace.Add(v[(offset - d)..(offset + d + 1)]);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && equal(x, y))
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, n, m);
                }
            }
        }

        return null;
    }

    private static List<Edit> Backtrack(List<int[]> trace, int n, int m)
    {
        var script = new List<Edit>(n + m);
        int x = n, y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            // trace[d] holds V for diagonals -d..d as it stood when step d began.
            var v = trace[d];
            int At(int k) => v[k + d];
            var k = x - y;
            var previousK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var previousX = d == 0 ? 0 : At(previousK);
            var previousY = d == 0 ? 0 : previousX - previousK;
            while (x > previousX && y > previousY)
            {
                script.Add(Edit.Keep);
                x--;
                y--;
            }

            if (d > 0)
            {
                script.Add(x == previousX ? Edit.Insert : Edit.Delete);
            }

            x = previousX;
            y = previousY;
        }

        script.Reverse();
        return script;
    }
}
