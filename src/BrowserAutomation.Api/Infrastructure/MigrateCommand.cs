using BrowserAutomation.Persistence;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>The `migrate` verb of the API executable: applies the database migrations and exits (never done on start).</summary>
public static class MigrateCommand
{
    public static async Task RunAsync(WebApplicationBuilder builder)
    {
        builder.Services.AddAutomationPersistence();
        using var host = builder.Build();
        await DatabaseMigrator.MigrateAsync(host.Services);
    }
}
