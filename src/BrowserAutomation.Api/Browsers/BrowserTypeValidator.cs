using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Api.Browsers;

/// <summary>
/// Checks a browser type as it would be after a create or update: a known engine, a known device descriptor the engine
/// can emulate, a viewport in range, a name of the right length. Uniqueness of the name is checked against the database.
/// </summary>
public static class BrowserTypeValidator
{
    public static IReadOnlyList<string> DeviceTypes { get; } = ["desktop", "mobile"];

    /// <summary>Applies <paramref name="request"/> to <paramref name="type"/> (a new or an existing row) and reports every problem.</summary>
    /// <param name="simulatedEnabled">SIMULATED_ENGINE_ENABLED: whether a simulated browser type may be active.</param>
    public static Dictionary<string, string[]> Apply(BrowserTypeRequest request, BrowserType type, bool simulatedEnabled = false)
    {
        var errors = new ValidationProblems();
        if (request.Name is { } name)
        {
            type.Name = name.Trim();
        }

        if (string.IsNullOrWhiteSpace(type.Name) || type.Name.Length > 50)
        {
            errors.Add("name", "name is required, 1 to 50 characters.");
        }

        if (request.Type is { } engine)
        {
            type.Type = engine.Trim().ToLowerInvariant();
        }

        if (SimulatedEngine.Is(type.Type))
        {
            if (!simulatedEnabled && (request.IsActive ?? type.IsActive))
            {
                errors.Add("type", SimulatedBrowserType.Refused);
            }
        }
        else if (!EngineCapabilities.Engines.Contains(type.Type))
        {
            errors.Add("type", $"Unknown engine '{ActionValues.Shorten(type.Type)}'{NameSuggestions.DidYouMean(type.Type, EngineCapabilities.Engines)}; "
                               + $"type must be one of: {string.Join(", ", EngineCapabilities.Engines)}.");
        }

        if (request.DeviceDescriptor is { } device)
        {
            type.DeviceDescriptor = device.Trim().Length == 0 ? null : device.Trim();
        }

        if (type.DeviceDescriptor is { } descriptor)
        {
            if (!DeviceCatalog.Contains(descriptor))
            {
                errors.Add("deviceDescriptor", $"Unknown device '{ActionValues.Shorten(descriptor)}': a Playwright device name such as 'Pixel 7' or 'iPhone 13'"
                                               + NameSuggestions.DidYouMean(descriptor, DeviceCatalog.All) + ".");
            }
            else if (EngineCapabilities.Engines.Contains(type.Type)
                     && EngineCapabilities.Check(type.Type, new JobOptions { Device = descriptor }, []) is [var problem, ..])
            {
                errors.Add("deviceDescriptor", problem.Message);
            }
        }

        if (request.DeviceType is { } deviceType)
        {
            type.DeviceType = deviceType.Trim().ToLowerInvariant();
        }
        else if (request.DeviceDescriptor is not null)
        {
            type.DeviceType = type.DeviceDescriptor is { } emulated && DeviceCatalog.IsMobile(emulated) ? "mobile" : "desktop";
        }

        if (!DeviceTypes.Contains(type.DeviceType))
        {
            errors.Add("deviceType", $"deviceType must be one of: {string.Join(", ", DeviceTypes)}.");
        }

        if (request.UserAgent is { } userAgent)
        {
            type.UserAgent = userAgent.Length == 0 ? null : userAgent;
        }

        if (type.UserAgent is { Length: > 1000 } || type.UserAgent?.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            errors.Add("userAgent", "userAgent is one line of at most 1000 characters.");
        }

        if (request.Viewport is { } viewport)
        {
            JobRequestValidator.CheckViewport(viewport, "viewport", errors);
            (type.ViewportWidth, type.ViewportHeight) = (viewport.Width, viewport.Height);
        }

        if (request.IsActive is { } active)
        {
            type.IsActive = active;
        }

        return errors.ToDictionary();
    }
}
