using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Worker;
using BrowserAutomation.Worker.Jobs;
using BrowserAutomation.Worker.Metrics;

// Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariableMapping();

builder.AddWorkerHttp();
builder.AddObservability("browser-automation-worker");
builder.AddAutomationPersistence();
builder.AddJobExecution();
builder.AddWorkerHeartbeat();
builder.AddWorkerHealthChecks();
builder.AddWorkerMetrics();

var app = builder.Build();
app.MapObservabilityEndpoints();
await app.RunAsync();
