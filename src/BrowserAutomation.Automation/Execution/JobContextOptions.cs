using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// Turns a job's context settings (device, viewport, user agent, <see cref="JobOptions"/>) into the fresh context's
/// options, cookies and routing. Explicit settings win over the device descriptor.
/// </summary>
internal static partial class JobContextOptions
{
    private static readonly JobOptions EmptyOptions = new();

    /// <summary>Resource types that blockResources accepts (Playwright's names; "document" would block the page itself).</summary>
    public static FrozenSet<string> BlockableResourceTypes { get; } = new[]
    {
        "stylesheet", "image", "media", "font", "script", "texttrack", "xhr", "fetch", "eventsource", "websocket", "manifest", "other",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks the job-level options; throws a validation <see cref="JobStepException"/> naming the field.</summary>
    public static void Validate(JobOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Locale is { } locale && !LocalePattern().IsMatch(locale))
        {
            throw JobStepException.Validation($"options.locale '{JobErrors.Shorten(locale)}' is not a locale such as en-GB or de.");
        }

        if (options.TimezoneId is { } timezone && !TimezonePattern().IsMatch(timezone))
        {
            throw JobStepException.Validation($"options.timezoneId '{JobErrors.Shorten(timezone)}' is not an IANA time zone such as Europe/Paris.");
        }

        if (options.ColorScheme is { } scheme)
        {
            ParseColorScheme(scheme);
        }

        foreach ((var name, var value) in options.ExtraHttpHeaders ?? new Dictionary<string, string>())
        {
            if (!HeaderNamePattern().IsMatch(name) || value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw JobStepException.Validation($"options.extraHttpHeaders: '{JobErrors.Shorten(name)}' is not a valid header name and value.");
            }
        }

        for (var i = 0; i < (options.Cookies?.Count ?? 0); i++)
        {
            ValidateCookie(options.Cookies![i], $"options.cookies[{i}]");
        }

        if (options.HttpCredentials is { } credentials && (string.IsNullOrEmpty(credentials.Username) || credentials.Password is null))
        {
            throw JobStepException.Validation("options.httpCredentials needs a username and a password.");
        }

        foreach (var type in options.BlockResources ?? [])
        {
            if (type == "document")
            {
                throw JobStepException.Validation("options.blockResources cannot block 'document': that would block the page itself.");
            }

            if (type is null || !BlockableResourceTypes.Contains(type))
            {
                throw JobStepException.Validation(
                    $"options.blockResources: unknown resource type '{JobErrors.Shorten(type ?? "null")}'; expected any of {string.Join(", ", BlockableResourceTypes)}.");
            }
        }

        if (options.DeviceScaleFactor is { } scale && (double.IsNaN(scale) || scale < 1 || scale > 4))
        {
            throw JobStepException.Validation("options.deviceScaleFactor must be between 1 and 4.");
        }

        if (options.Device is { } device && !DeviceCatalog.Contains(device))
        {
            throw JobStepException.Validation($"options.device: unknown device '{JobErrors.Shorten(device)}'; use a Playwright device name such as 'Pixel 7' or 'iPhone 13'.");
        }
    }

    /// <summary>
    /// The warm key of a job whose context needs nothing beyond its viewport and user agent (no options at all:
    /// no device, cookies, headers, credentials, recordings ...); null for any other job, which gets a fresh context.
    /// </summary>
    public static WarmKey? WarmKeyOf(JobRequested job) =>
        job.Options is null || job.Options == EmptyOptions
            ? new WarmKey(job.Viewport?.Width, job.Viewport?.Height, string.IsNullOrWhiteSpace(job.UserAgent) ? null : job.UserAgent)
            : null;

    /// <summary>The context options of every job of <paramref name="key"/>: warm contexts are made with exactly these.</summary>
    public static BrowserNewContextOptions ForWarmKey(WarmKey key)
    {
        var options = new BrowserNewContextOptions { AcceptDownloads = false, IgnoreHTTPSErrors = false };
        if (key is { ViewportWidth: { } width, ViewportHeight: { } height })
        {
            options.ViewportSize = new ViewportSize { Width = width, Height = height };
        }

        if (key.UserAgent is { } userAgent)
        {
            options.UserAgent = userAgent;
        }

        return options;
    }

    public static async Task<BrowserNewContextOptions> CreateAsync(JobRequested job, BrowserPool pool)
    {
        if (WarmKeyOf(job) is { } key)
        {
            return ForWarmKey(key);
        }

        var settings = job.Options;
        BrowserNewContextOptions options = new();
        if (settings?.Device is { } device)
        {
            options = await pool.DeviceAsync(device)
                ?? throw JobStepException.Validation($"options.device: this worker's Playwright has no device '{JobErrors.Shorten(device)}'.");
        }

        if (job.Viewport is { } viewport)
        {
            options.ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height };
        }

        if (!string.IsNullOrWhiteSpace(job.UserAgent))
        {
            options.UserAgent = job.UserAgent;
        }

        if (settings is not null)
        {
            options.Locale = settings.Locale ?? options.Locale;
            options.TimezoneId = settings.TimezoneId ?? options.TimezoneId;
            options.ColorScheme = settings.ColorScheme is { } scheme ? ParseColorScheme(scheme) : options.ColorScheme;
            options.ExtraHTTPHeaders = settings.ExtraHttpHeaders ?? options.ExtraHTTPHeaders;
            options.HttpCredentials = settings.HttpCredentials is { } credentials
                ? new Microsoft.Playwright.HttpCredentials { Username = credentials.Username, Password = credentials.Password }
                : options.HttpCredentials;
            options.JavaScriptEnabled = settings.JavaScriptEnabled ?? options.JavaScriptEnabled;
            options.DeviceScaleFactor = settings.DeviceScaleFactor is { } scale ? (float)scale : options.DeviceScaleFactor;
            if (settings.BlockResources is { Count: > 0 })
            {
                // A service worker could fetch on the page's behalf, out of the context's routing.
                options.ServiceWorkers = ServiceWorkerPolicy.Block;
            }
        }

        options.AcceptDownloads = false;
        options.IgnoreHTTPSErrors = false;
        return options;
    }

    /// <summary>Cookies and resource blocking: set on the context before its first page, so they cover popups and frames too.</summary>
    public static async Task PrepareAsync(IBrowserContext context, JobRequested job, ILogger logger, CancellationToken cancellationToken)
    {
        if (job.Options?.Cookies is { Count: > 0 } cookies)
        {
            await context.AddCookiesAsync(cookies.Select(static c => new Cookie
            {
                Name = c.Name,
                Value = c.Value,
                Url = c.Url,
                Domain = c.Domain,
                Path = c.Path ?? (c.Domain is not null ? "/" : null),
                Expires = c.Expires is { } expires ? (float)expires : null,
                HttpOnly = c.HttpOnly,
                Secure = c.Secure,
                SameSite = c.SameSite?.ToLowerInvariant() switch
                {
                    "strict" => SameSiteAttribute.Strict,
                    "lax" => SameSiteAttribute.Lax,
                    "none" => SameSiteAttribute.None,
                    _ => null,
                },
            })).WaitAsync(cancellationToken);
        }

        if (job.Options?.BlockResources is { Count: > 0 } blockList)
        {
            var blocked = blockList.ToFrozenSet(StringComparer.Ordinal);
            await context.RouteAsync("**/*", async route =>
            {
                try
                {
                    if (blocked.Contains(route.Request.ResourceType))
                    {
                        await route.AbortAsync("blockedbyclient");
                    }
                    else
                    {
                        await route.ContinueAsync();
                    }
                }
                catch (PlaywrightException ex)
                {
                    // The context closed while the request was in flight.
                    logger.LogDebug(ex, "Routing a request failed");
                }
            }).WaitAsync(cancellationToken);

            if (blocked.Contains("websocket"))
            {
                // WebSockets bypass request routing; an unconnected route closes them instead.
                await context.RouteWebSocketAsync(new Regex(".*"), static ws => ws.CloseAsync()).WaitAsync(cancellationToken);
            }
        }
    }

    private static ColorScheme ParseColorScheme(string scheme) => scheme.ToLowerInvariant() switch
    {
        "light" => ColorScheme.Light,
        "dark" => ColorScheme.Dark,
        "no-preference" => ColorScheme.NoPreference,
        _ => throw JobStepException.Validation($"options.colorScheme '{JobErrors.Shorten(scheme)}' must be light, dark or no-preference."),
    };

    private static void ValidateCookie(JobCookie cookie, string path)
    {
        if (string.IsNullOrWhiteSpace(cookie.Name) || cookie.Value is null)
        {
            throw JobStepException.Validation($"{path} needs a name and a value.");
        }

        var hasUrl = cookie.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        if (cookie.Url is not null && !hasUrl)
        {
            throw JobStepException.Validation($"{path}.url must be an absolute http(s) URL.");
        }

        if (hasUrl == (cookie.Domain is not null))
        {
            throw JobStepException.Validation($"{path} needs either url or domain (with an optional path), not both.");
        }

        if (hasUrl && cookie.Path is not null)
        {
            throw JobStepException.Validation($"{path}: path goes with domain; with url the path is the URL's.");
        }

        if (cookie.SameSite is { } sameSite && sameSite.ToLowerInvariant() is not ("strict" or "lax" or "none"))
        {
            throw JobStepException.Validation($"{path}.sameSite must be Strict, Lax or None.");
        }
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex TimezonePattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();
}
