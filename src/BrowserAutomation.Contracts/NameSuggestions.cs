namespace BrowserAutomation.Contracts;

/// <summary>
/// The "did you mean" of every problem about an unknown name (device names, JSON field names): the known names that
/// contain the given one, or are contained in it, or are a few typos away from it, nearest first.
/// </summary>
public static class NameSuggestions
{
    /// <summary>The known names nearest to <paramref name="given"/>, at most <paramref name="max"/>, nearest first.</summary>
    /// <param name="given">The name as submitted.</param>
    /// <param name="known">Every name that would have been accepted.</param>
    /// <param name="max">How many suggestions at most.</param>
    public static IReadOnlyList<string> Nearest(string? given, IEnumerable<string> known, int max = 5)
    {
        ArgumentNullException.ThrowIfNull(known);
        var wanted = given?.Trim().ToLowerInvariant() ?? "";
        if (wanted.Length == 0)
        {
            return [];
        }

        // A typo budget that grows with the length: one for short names, a third of the characters for long ones.
        var budget = Math.Max(1, wanted.Length / 3);
        return [.. known
            .Select(name => (name, distance: Distance(wanted, name.ToLowerInvariant())))
            .Where(c => c.distance <= budget || Contains(c.name, wanted))
            .OrderBy(c => c.distance).ThenBy(c => c.name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.name)];
    }

    /// <summary>" (did you mean 'a', 'b'?)" or "" when nothing is near.</summary>
    /// <param name="given">The name as submitted.</param>
    /// <param name="known">Every name that would have been accepted.</param>
    /// <param name="max">How many suggestions at most.</param>
    public static string DidYouMean(string? given, IEnumerable<string> known, int max = 5) =>
        Nearest(given, known, max) is { Count: > 0 } near ? $" (did you mean {string.Join(", ", near.Select(n => $"'{n}'"))}?)" : "";

    private static bool Contains(string name, string wanted) =>
        wanted.Length >= 3 && (name.Contains(wanted, StringComparison.OrdinalIgnoreCase) || wanted.Contains(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
