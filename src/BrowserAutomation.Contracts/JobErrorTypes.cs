namespace BrowserAutomation.Contracts;

/// <summary>Error types (the design's error_type values plus what the system needs).</summary>
public static class JobErrorTypes
{
    /// <summary>The attempt or a step ran out of time (transient).</summary>
    public const string Timeout = "timeout";

    /// <summary>The navigation failed (transient when caused by the network).</summary>
    public const string NavigationFailed = "navigation_failed";

    /// <summary>A target matched nothing (permanent).</summary>
    public const string SelectorNotFound = "selector_not_found";

    /// <summary>The browser died (transient).</summary>
    public const string BrowserCrashed = "browser_crashed";

    /// <summary>The job cannot be executed as written (permanent).</summary>
    public const string ValidationError = "validation_error";

    /// <summary>The URL policy refused an address (permanent).</summary>
    public const string UrlBlocked = "url_blocked";

    /// <summary>An artifact exceeded the size limit (permanent).</summary>
    public const string ArtifactTooLarge = "artifact_too_large";

    /// <summary>An assert step's check did not hold within its timeout (permanent).</summary>
    public const string AssertionFailed = "assertion_failed";

    /// <summary>The artifact store (filesystem or s3) could not be written (transient).</summary>
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>The job's startBy or expiresAt passed before an attempt could start: the job ends expired, not failed.</summary>
    public const string DeadlineExpired = "deadline_expired";

    /// <summary>Anything else (permanent).</summary>
    public const string Internal = "internal_error";

    /// <summary>Transient errors are retried with backoff; every other type fails the job at once.</summary>
    public static bool IsTransient(string errorType) => errorType is Timeout or NavigationFailed or BrowserCrashed or StorageUnavailable;
}
