namespace BrowserAutomation.Api.Infrastructure;

/// <summary>Live workers (fresh heartbeat), one per engine a worker process serves, as in /api/v1/workers/stats.</summary>
public sealed record WorkersHealth(int Total, int Idle, int Busy, IReadOnlyDictionary<string, int> ByEngine);
