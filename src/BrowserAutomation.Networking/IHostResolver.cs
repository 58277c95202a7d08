using System.Net;

namespace BrowserAutomation.Networking;

/// <summary>Resolves a host name for the egress proxy; replaceable so tests control every answer.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
