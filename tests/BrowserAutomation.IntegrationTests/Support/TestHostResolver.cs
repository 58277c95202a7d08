using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BrowserAutomation.Networking;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// The egress proxy's resolver in tests: answers only for names mapped here (to loopback addresses), each look-up
/// taking the next answer (the last one repeats), so a rebinding name can be played. Never asks real DNS.
/// </summary>
public sealed class TestHostResolver : IHostResolver
{
    private readonly ConcurrentDictionary<string, Answers> _names = new(StringComparer.OrdinalIgnoreCase);

    public void Map(string name, params IPAddress[][] answers)
    {
        Assert.EndsWith(".test", name, StringComparison.Ordinal);
        Assert.All(answers.SelectMany(static a => a), static a => Assert.True(IPAddress.IsLoopback(a), $"{a} is not loopback"));
        _names[name] = new Answers(answers);
    }

    public int Lookups(string name) => _names.TryGetValue(name, out var answers) ? answers.Count : 0;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _names.TryGetValue(host, out var answers)
            ? Task.FromResult(answers.Next())
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    private sealed class Answers(IPAddress[][] answers)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public IPAddress[] Next()
        {
            var index = Interlocked.Increment(ref _count) - 1;
            return answers[Math.Min(index, answers.Length - 1)];
        }
    }
}
