using BrowserAutomation.Persistence.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BrowserAutomation.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without a host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AutomationDbContext>
{
    public AutomationDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AutomationDbContext>()
            .UseNpgsql(new DatabaseOptions().BuildConnectionString())
            .Options;
        return new AutomationDbContext(options);
    }
}
