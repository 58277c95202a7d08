using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Hosting;

// Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariableMapping();
if (await ApiVerbs.TryRunAsync(builder, args))
{
    return;
}

var app = builder.AddApi().Build();
app.UseApi();
await app.RunAsync();

public partial class Program;
