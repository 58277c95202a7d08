using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Security;

/// <summary>API key authentication (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The header carrying the key (API_KEY_HEADER); Authorization: Bearer is accepted as well.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,100}$")]
    public string HeaderName { get; set; } = "X-API-Key";

    /// <summary>
    /// A key that authenticates as admin of owner "admin", for the first start (API_BOOTSTRAP_ADMIN_KEY). Only its hash is
    /// kept once the API runs; create real keys with it and then remove it.
    /// </summary>
    [MinLength(32)]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>No authentication at all (AUTH_DISABLED): every request is owner "default" with every scope. Logged as a warning.</summary>
    public bool Disabled { get; set; }
}
