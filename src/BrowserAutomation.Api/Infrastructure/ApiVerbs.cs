using BrowserAutomation.Api.Security;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>The API executable's verbs besides serving: `migrate` and `keys`.</summary>
public static class ApiVerbs
{
    /// <summary>Runs the verb <paramref name="args"/> names, if any; false means serve.</summary>
    public static async Task<bool> TryRunAsync(WebApplicationBuilder builder, string[] args)
    {
        switch (args)
        {
            case ["migrate", ..]:
                await MigrateCommand.RunAsync(builder);
                return true;
            case ["keys", .. var keyArgs]:
                Environment.ExitCode = await KeysCommand.RunAsync(builder, keyArgs);
                return true;
            default:
                return false;
        }
    }
}
