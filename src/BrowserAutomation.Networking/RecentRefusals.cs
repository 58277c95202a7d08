using System.Collections.Concurrent;
using System.Globalization;

namespace BrowserAutomation.Networking;

/// <summary>
/// The egress proxy's last refusal per host and port, kept for two minutes so a job whose request failed can be
/// told it was the URL policy (the browser itself only reports a network error).
/// </summary>
internal sealed class RecentRefusals(TimeProvider time)
{
    private const int MaxEntries = 4_096;
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, EgressRefusal> _refusals = new(StringComparer.Ordinal);

    public void Remember(EgressRefusal refusal)
    {
        if (UrlNormalizer.NormalizeHost(refusal.Host) is { } normalized)
        {
            if (_refusals.Count > MaxEntries)
            {
                _refusals.Clear();
            }

            _refusals[Key(normalized, refusal.Port)] = refusal;
        }
    }

    public bool TryGet(string host, int port, out EgressRefusal? refusal)
    {
        refusal = null;
        if (UrlNormalizer.NormalizeHost(host) is not { } normalized
            || !_refusals.TryGetValue(Key(normalized, port), out var found)
            || time.GetUtcNow() - found.At > Memory)
        {
            return false;
        }

        refusal = found;
        return true;
    }

    private static string Key(string normalizedHost, int port) => $"{normalizedHost}:{port.ToString(CultureInfo.InvariantCulture)}";
}
