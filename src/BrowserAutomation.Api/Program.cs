using BrowserAutomation.Api.Browsers;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Configuration;
using MassTransit;

// Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddSeedEnvironmentVariables();

if (args is ["migrate", ..])
{
    builder.Services.AddAutomationPersistence();
    using var migrator = builder.Build();
    await DatabaseMigrator.MigrateAsync(migrator.Services);
    return;
}

builder.Services.AddAutomationPersistence();
builder.Services.AddAutomationBus(
    x => x.AddJobStateMachine(),
    (context, cfg) => cfg.ConfigureEndpoints(context));
builder.Services.AddEngineQueues();

builder.Services.AddEndpointsApiExplorer();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
// Let unreadable bodies reach ProblemExceptionHandler, which names the offending JSON path.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowTrailingCommas = false);
builder.Services.AddOpenApiDocument(d =>
{
    d.Title = "Browser Automation API";
    d.Version = "v1";
});

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOpenApi();
app.UseSwaggerUi();

app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
app.MapHealthEndpoints();
app.MapBrowsersEndpoints();
app.MapJobsEndpoints();

await app.RunAsync();

public partial class Program;
