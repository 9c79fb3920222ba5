using InfraDiff.Diffing;

namespace InfraDiff.Tests.Diffing;

/// <summary>The edit-script engine on its own, over integer sequences, against a dynamic-programming LCS.</summary>
public sealed class MyersTests
{
    [Theory]
    [InlineData(new int[0], new int[0])]
    [InlineData(new[] { 1, 2, 3 }, new int[0])]
    [InlineData(new int[0], new[] { 4, 5 })]
    [InlineData(new[] { 1, 2, 3, 4 }, new[] { 1, 2, 3, 4 })]
    [InlineData(new[] { 1, 2, 3, 4 }, new[] { 4, 3, 2, 1 })]
    [InlineData(new[] { 1, 1, 2, 1 }, new[] { 2, 1, 1, 1, 2 })]
    public void Script_is_shortest_and_rebuilds_both_sides(int[] a, int[] b) => AssertShortest(a, b);

    [Fact]
    public void Random_sequences_get_the_shortest_script()
    {
        var random = new Random(17);
        for (var round = 0; round < 300; round++)
        {
            var a = Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(0, 5)).ToArray();
            var b = Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(0, 5)).ToArray();
            AssertShortest(a, b);
        }
    }

    [Fact]
    public void Gives_up_past_the_edit_bound()
    {
        int[] a = [.. Enumerable.Range(0, 100)];
        int[] b = [.. Enumerable.Range(1000, 100)];
        Assert.Null(Myers.Script(a.Length, b.Length, (x, y) => a[x] == b[y], maxEdits: 199));
        Assert.Equal(200, Myers.Script(a.Length, b.Length, (x, y) => a[x] == b[y], maxEdits: 200)!.Count);
    }

    private static void AssertShortest(int[] a, int[] b)
    {
        var script = Myers.Script(a.Length, b.Length, (x, y) => a[x] == b[y], maxEdits: a.Length + b.Length)!;
        List<int> fromA = [], fromB = [];
        int i = 0, j = 0;
        foreach (var edit in script)
        {
            switch (edit)
            {
                case Edit.Keep:
                    Assert.Equal(a[i], b[j]);
                    fromA.Add(a[i++]);
                    fromB.Add(b[j++]);
                    break;
                case Edit.Delete:
                    fromA.Add(a[i++]);
                    break;
                default:
                    fromB.Add(b[j++]);
                    break;
            }
        }

        Assert.Equal(a, fromA);
        Assert.Equal(b, fromB);
        Assert.Equal(a.Length + b.Length - (2 * Lcs(a, b)), script.Count(e => e != Edit.Keep));
    }

    private static int Lcs(int[] a, int[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
