namespace BrowserAutomation.Automation.Pool;

/// <summary>No browser of the requested engine can be had: not configured here, or it failed to (re)launch.</summary>
public sealed class BrowserUnavailableException : Exception
{
    public BrowserUnavailableException()
    {
        Engine = string.Empty;
    }

    public BrowserUnavailableException(string message)
        : base(message)
    {
        Engine = string.Empty;
    }

    public BrowserUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Engine = string.Empty;
    }

    public BrowserUnavailableException(string engine, bool configured, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Engine = engine;
        Configured = configured;
    }

    public string Engine { get; }

    /// <summary>False when this process does not serve the engine at all (retrying here cannot help).</summary>
    public bool Configured { get; }
}
