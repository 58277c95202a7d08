namespace BrowserAutomation.Persistence.Jobs;

/// <summary>The outcome of a cancellation request.</summary>
public enum CancelOutcome
{
    Cancelled,
    AlreadyFinished,
    NotFound,
}
