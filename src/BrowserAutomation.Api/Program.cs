using BrowserAutomation.Api.Actions;
using BrowserAutomation.Api.Browsers;
using BrowserAutomation.Api.Dashboard;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Metrics;
using BrowserAutomation.Api.OpenApi;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;

// Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariableMapping();
if (await ApiVerbs.TryRunAsync(builder, args))
{
    return;
}

builder.AddObservability("browser-automation-api");
builder.AddAutomationPersistence();
builder.AddApiSecurity();
builder.AddWorkerLiveness();
builder.AddApiHealthChecks();
builder.AddApiMetrics();
builder.AddJobSubmission();
builder.AddApiMessaging();
builder.AddWebhooks();
builder.AddLiveStatus();
builder.AddProblemResponses();
builder.AddApiDocument();
var app = builder.Build();
app.UseProblemResponses();
app.UseApiDocument();
app.UseApiSecurity();
app.UseStrictRequestBodies();
app.MapObservabilityEndpoints();
app.MapHealthEndpoints();
app.MapBrowsersEndpoints();
app.MapJobsEndpoints();
app.MapJobEventsEndpoints();
app.MapWorkersEndpoints();
app.MapActionsEndpoints();
app.MapKeysEndpoints();
app.MapDashboard();
app.MapWebhooksEndpoints();
await app.RunAsync();

public partial class Program;
