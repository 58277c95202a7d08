namespace BrowserAutomation.Api.Security;

/// <summary>Authorization policies, one per scope; admin keys pass every policy.</summary>
public static class Policies
{
    public const string Submit = "scope:submit";
    public const string Read = "scope:read";
    public const string Admin = "scope:admin";
}
