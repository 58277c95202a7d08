using System.Text.RegularExpressions;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.Api.Jobs;

/// <summary>The job-level context options (locale, headers, cookies, credentials, blocked resources, device...).</summary>
public static partial class JobOptionsValidator
{
    public static IReadOnlyList<string> ColorSchemes { get; } = ["light", "dark", "no-preference"];

    /// <summary>Resource types blockResources accepts ("document" would block the page itself).</summary>
    public static IReadOnlyList<string> BlockableResources { get; } =
        ["stylesheet", "image", "media", "font", "script", "texttrack", "xhr", "fetch", "eventsource", "websocket", "manifest", "other"];

    public static IReadOnlyList<string> SameSiteValues { get; } = ["Strict", "Lax", "None"];

    internal static void Validate(JobOptions? options, ValidationProblems errors)
    {
        if (options is null)
        {
            return;
        }

        if (options.Locale is { } locale && !LocalePattern().IsMatch(locale))
        {
            errors.Add("options.locale", $"'{Shorten(locale)}' is not a locale such as en-GB or de.");
        }

        if (options.TimezoneId is { } timezone && !TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out _))
        {
            errors.Add("options.timezoneId", $"'{Shorten(timezone)}' is not a known time zone such as Europe/Paris or America/New_York.");
        }

        if (options.ColorScheme is { } scheme && !ColorSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("options.colorScheme", $"colorScheme must be one of: {string.Join(", ", ColorSchemes)}.");
        }

        foreach (var (name, value) in options.ExtraHttpHeaders ?? new Dictionary<string, string>())
        {
            if (!HeaderNamePattern().IsMatch(name))
            {
                errors.Add("options.extraHttpHeaders", $"'{Shorten(name)}' is not a valid header name.");
            }
            else if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                errors.Add($"options.extraHttpHeaders.{name}", "A header value must be a single line.");
            }
        }

        for (var i = 0; i < (options.Cookies?.Count ?? 0); i++)
        {
            CookieValidator.Validate(options.Cookies![i], $"options.cookies[{i}]", errors);
        }

        if (options.HttpCredentials is { } credentials)
        {
            if (string.IsNullOrEmpty(credentials.Username))
            {
                errors.Add("options.httpCredentials.username", "httpCredentials needs a username.");
            }

            if (credentials.Password is null)
            {
                errors.Add("options.httpCredentials.password", "httpCredentials needs a password.");
            }
        }

        for (var i = 0; i < (options.BlockResources?.Count ?? 0); i++)
        {
            var type = options.BlockResources![i];
            if (type == "document")
            {
                errors.Add($"options.blockResources[{i}]", "'document' cannot be blocked: that would block the page itself.");
            }
            else if (type is null || !BlockableResources.Contains(type))
            {
                errors.Add($"options.blockResources[{i}]", $"Unknown resource type '{Shorten(type)}'. Supported: {string.Join(", ", BlockableResources)}.");
            }
        }

        if (options.DeviceScaleFactor is { } factor && (double.IsNaN(factor) || factor < 1 || factor > 4))
        {
            errors.Add("options.deviceScaleFactor", "deviceScaleFactor must be between 1 and 4.");
        }

        if (options.Device is { } device && !DeviceCatalog.Contains(device))
        {
            errors.Add("options.device", $"Unknown device '{Shorten(device)}': device must be a Playwright device name such as 'Pixel 7' or 'iPhone 13'"
                + NameSuggestions.DidYouMean(device, DeviceCatalog.All) + ".");
        }
    }

    private static string Shorten(string? value) => ActionValues.Shorten(value);

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();
}
