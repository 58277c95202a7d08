using BrowserAutomation.Api.Actions;
using BrowserAutomation.Api.Browsers;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.OpenApi;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using Microsoft.Extensions.Options;

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

if (args is ["keys", .. var keyArgs])
{
    builder.Services.AddAutomationPersistence();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddScoped<ApiKeyStore>();
    using var keysHost = builder.Build();
    await using var scope = keysHost.Services.CreateAsyncScope();
    Environment.ExitCode = await KeysCommand.RunAsync(scope.ServiceProvider.GetRequiredService<ApiKeyStore>(), keyArgs, Console.Out, Console.Error);
    return;
}

builder.Services.AddAutomationPersistence();
builder.Services.AddJobSecrets();
// The same URL policy as the worker's (URL_* settings): submissions with a refused URL are 400 before anything is stored.
builder.Services.AddOptions<UrlPolicyOptions>().BindConfiguration(UrlPolicyOptions.SectionName)
    .PostConfigure(o => o.ApplyFlatSettings(key => builder.Configuration[key])).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(static sp => new UrlPolicy(sp.GetRequiredService<IOptions<UrlPolicyOptions>>().Value));
builder.Services.AddApiKeyAuthentication();
builder.Services.AddApiRateLimits();
builder.Services.AddOptions<SubmissionLimitsOptions>().BindConfiguration(SubmissionLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddScoped<JobSubmission>();
builder.Services.AddScoped<JobCancellation>();
builder.Services.AddSingleton<JobStatusHub>();
builder.Services.AddAutomationBus(
    x =>
    {
        x.AddJobStateMachine();
        x.AddConsumer<SubmitJobConsumer, SubmitJobConsumerDefinition>();
        x.AddConsumer<JobStatusBroadcastConsumer>().ExcludeFromConfigureEndpoints();
    },
    (context, cfg) =>
    {
        // Every API copy hears every status change on a queue of its own, for the live streams it serves.
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("api-status"), e => e.ConfigureConsumer<JobStatusBroadcastConsumer>(context));
        cfg.ConfigureEndpoints(context);
    });
if (builder.Configuration["WORKER_STALE_AFTER_MS"] is { Length: > 0 } staleAfter)
    WorkersEndpoints.StaleAfter = TimeSpan.FromMilliseconds(int.Parse(staleAfter, System.Globalization.CultureInfo.InvariantCulture));
builder.Services.AddEngineQueues();

builder.Services.AddEndpointsApiExplorer();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddRequestLimits(builder.Configuration);
// Let unreadable bodies reach ProblemExceptionHandler, which names the offending JSON path.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowTrailingCommas = false);
builder.Services.AddOpenApiDocument(d => d.ConfigureApiDocument(builder.Configuration["Auth:HeaderName"] ?? "X-API-Key"));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOpenApi();
app.UseSwaggerUi();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.LogAuthenticationMode();

app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().AllowAnonymous();
app.MapHealthEndpoints();
app.MapBrowsersEndpoints();
app.MapJobsEndpoints();
app.MapJobEventsEndpoints();
app.MapWorkersEndpoints();
app.MapActionsEndpoints();
app.MapKeysEndpoints();

await app.RunAsync();

public partial class Program;
