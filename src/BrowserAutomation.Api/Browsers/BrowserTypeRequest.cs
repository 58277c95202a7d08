using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Browsers;

/// <summary>
/// The body of POST /api/v1/browsers (name and type required) and PATCH /api/v1/browsers/{id} (only the fields given
/// change).
/// </summary>
public sealed record BrowserTypeRequest
{
    /// <summary>Unique among browser types (case-insensitive), at most 50 characters.</summary>
    public string? Name { get; init; }

    /// <summary>The engine: chromium, firefox or webkit.</summary>
    public string? Type { get; init; }

    /// <summary>desktop or mobile (default: mobile with a mobile device descriptor, else desktop).</summary>
    public string? DeviceType { get; init; }

    /// <summary>A Playwright device name ("Pixel 7", "iPhone 13") emulated for every job of this type.</summary>
    public string? DeviceDescriptor { get; init; }

    /// <summary>The user agent jobs of this type send unless they name their own.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The default viewport, 1 to 7680 px each way.</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>false deactivates the type (new jobs for it are refused with 422); true reactivates it.</summary>
    public bool? IsActive { get; init; }
}
