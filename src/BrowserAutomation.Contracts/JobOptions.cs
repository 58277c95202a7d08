namespace BrowserAutomation.Contracts;

/// <summary>Job-level browser context options; anything unset comes from the browser type.</summary>
public sealed record JobOptions
{
    /// <summary>e.g. "en-GB"; sets navigator.language and Accept-Language.</summary>
    public string? Locale { get; init; }

    /// <summary>e.g. "Europe/Paris".</summary>
    public string? TimezoneId { get; init; }

    /// <summary>light, dark or no-preference.</summary>
    public string? ColorScheme { get; init; }

    /// <summary>Headers added to every request the page makes.</summary>
    public IReadOnlyDictionary<string, string>? ExtraHttpHeaders { get; init; }

    /// <summary>Cookies set before the first navigation.</summary>
    public IReadOnlyList<JobCookie>? Cookies { get; init; }

    /// <summary>HTTP basic/digest credentials.</summary>
    public HttpCredentials? HttpCredentials { get; init; }

    /// <summary>false disables JavaScript in the page.</summary>
    public bool? JavaScriptEnabled { get; init; }

    /// <summary>Resource types never fetched: image, font, media, stylesheet, script, xhr, fetch, websocket, other.</summary>
    public IReadOnlyList<string>? BlockResources { get; init; }

    /// <summary>Device pixel ratio (1 to 4).</summary>
    public double? DeviceScaleFactor { get; init; }

    /// <summary>Playwright device descriptor name ("Pixel 7", "iPhone 13"); set from the browser type for mobile types.</summary>
    public string? Device { get; init; }

    /// <summary>off (default), on or retain-on-failure: record a Playwright trace of each attempt as a trace artifact.</summary>
    public string? Trace { get; init; }

    /// <summary>Record the attempt's network traffic as a HAR artifact (response bodies omitted).</summary>
    public bool? Har { get; init; }
}

/// <summary>A cookie to set. Either <see cref="Url"/> or <see cref="Domain"/> (with <see cref="Path"/>) is required.</summary>
public sealed record JobCookie
{
    /// <summary>Cookie name.</summary>
    public required string Name { get; init; }

    /// <summary>Cookie value (a secret: never logged or listed).</summary>
    public required string Value { get; init; }

    /// <summary>The URL the cookie belongs to.</summary>
    public string? Url { get; init; }

    /// <summary>The cookie's domain (with <see cref="Path"/>), instead of <see cref="Url"/>.</summary>
    public string? Domain { get; init; }

    /// <summary>The cookie's path.</summary>
    public string? Path { get; init; }

    /// <summary>Unix time in seconds; unset for a session cookie.</summary>
    public double? Expires { get; init; }

    /// <summary>Hidden from page scripts.</summary>
    public bool? HttpOnly { get; init; }

    /// <summary>Sent over https only.</summary>
    public bool? Secure { get; init; }

    /// <summary>Strict, Lax or None.</summary>
    public string? SameSite { get; init; }
}

/// <summary>HTTP authentication credentials.</summary>
public sealed record HttpCredentials(string Username, string Password);
