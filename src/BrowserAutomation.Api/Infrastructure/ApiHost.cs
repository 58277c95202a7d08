using BrowserAutomation.Api.Actions;
using BrowserAutomation.Api.Artifacts;
using BrowserAutomation.Api.Browsers;
using BrowserAutomation.Api.Dashboard;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Metrics;
using BrowserAutomation.Api.OpenApi;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>The API's table of contents: what it registers, in order, and the middleware and endpoints it serves.</summary>
public static class ApiHost
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.AddObservability("browser-automation-api");
        builder.AddAutomationPersistence();
        builder.AddApiSecurity();
        builder.AddWorkerLiveness();
        builder.AddApiHealthChecks();
        builder.AddApiMetrics();
        builder.AddJobSubmission();
        builder.AddSimulatedEngine();
        builder.AddApiMessaging();
        builder.AddWebhooks();
        builder.AddArtifacts();
        builder.AddLiveStatus();
        builder.AddProblemResponses();
        builder.AddApiDocument();
        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
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
        return app;
    }
}
