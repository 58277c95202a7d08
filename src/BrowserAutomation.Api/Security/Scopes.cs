namespace BrowserAutomation.Api.Security;

/// <summary>
/// What a key may do. submit: create jobs (POST /jobs, /actions/*) and cancel its owner's jobs. read: its owner's jobs,
/// logs, artifacts and live streams, and the browser types. admin: everything, across all owners, plus workers and keys.
/// </summary>
public static class Scopes
{
    public const string Submit = "submit";
    public const string Read = "read";
    public const string Admin = "admin";

    public static readonly string[] All = [Submit, Read, Admin];

    /// <summary>"submit,read" into its scopes; null when a name is unknown or none is given.</summary>
    public static List<string>? Parse(string? text)
    {
        var scopes = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).Distinct().ToList();
        return scopes.Count > 0 && scopes.All(All.Contains) ? scopes : null;
    }
}
