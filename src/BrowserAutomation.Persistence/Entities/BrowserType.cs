namespace BrowserAutomation.Persistence.Entities;

/// <summary>A browser configuration clients choose by id (table browser_types).</summary>
public sealed class BrowserType
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The engine: chromium, firefox or webkit.</summary>
    public required string Type { get; set; }

    /// <summary>desktop or mobile.</summary>
    public string DeviceType { get; set; } = "desktop";

    /// <summary>Playwright device descriptor name used for mobile emulation (e.g. "Pixel 7").</summary>
    public string? DeviceDescriptor { get; set; }

    public string? UserAgent { get; set; }

    public int? ViewportWidth { get; set; }

    public int? ViewportHeight { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
