namespace BrowserAutomation.Contracts;

/// <summary>
/// The result cache of a submission: answer with the result of an identical job of the same owner that completed at
/// most <see cref="MaxAgeSeconds"/> ago, without running it again.
/// </summary>
public sealed record JobCacheOptions
{
    /// <summary>The oldest completed result that may answer, in seconds (1 to 86400).</summary>
    public int? MaxAgeSeconds { get; init; }
}
