namespace BrowserAutomation.Networking;

/// <summary>A connection the URL policy refused before any socket was opened.</summary>
public sealed class UrlPolicyRefusedException : Exception
{
    public UrlPolicyRefusedException()
    {
    }

    public UrlPolicyRefusedException(string message)
        : base(message)
    {
    }

    public UrlPolicyRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
