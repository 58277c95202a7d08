using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using BrowserAutomation.Worker.Jobs;

// Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariableMapping();

builder.AddAutomationPersistence();
builder.AddJobExecution();
builder.AddWorkerHeartbeat();

var host = builder.Build();
await host.RunAsync();
