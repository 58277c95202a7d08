using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.Api.Jobs;

/// <summary>One cookie of options.cookies: url, or domain + path, as Playwright's addCookies takes them.</summary>
internal static class CookieValidator
{
    public static void Validate(JobCookie? cookie, string path, ValidationProblems errors)
    {
        if (cookie is null)
        {
            errors.Add(path, "A cookie must be an object.");
            return;
        }

        if (string.IsNullOrWhiteSpace(cookie.Name))
        {
            errors.Add($"{path}.name", "A cookie needs a name.");
        }

        if (cookie.Value is null)
        {
            errors.Add($"{path}.value", "A cookie needs a value.");
        }

        if (cookie.Url is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{path}.url", "url must be an absolute http or https URL.");
            }

            if (cookie.Domain is not null)
            {
                errors.Add($"{path}.domain", "A cookie takes url, or domain + path, not both.");
            }

            if (cookie.Path is not null)
            {
                errors.Add($"{path}.path", "path goes with domain; with url the path is the URL's.");
            }
        }
        else if (string.IsNullOrWhiteSpace(cookie.Domain))
        {
            errors.Add($"{path}.url", "A cookie needs url, or domain + path.");
        }
        else if (cookie.Path is { } cookiePath && !cookiePath.StartsWith('/'))
        {
            errors.Add($"{path}.path", "path must start with '/' (it defaults to '/').");
        }

        if (cookie.SameSite is { } sameSite && !JobOptionsValidator.SameSiteValues.Contains(sameSite, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{path}.sameSite", $"sameSite must be one of: {string.Join(", ", JobOptionsValidator.SameSiteValues)}.");
        }
    }
}
