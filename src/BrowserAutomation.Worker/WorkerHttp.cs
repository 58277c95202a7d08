using BrowserAutomation.Hosting;

namespace BrowserAutomation.Worker;

public static class WorkerHttp
{
    /// <summary>
    /// The worker's HTTP endpoint, for probes and scrapes only: every interface on WORKER_HTTP_PORT (3001), unless
    /// ASPNETCORE_URLS already names the addresses. An unreadable port falls back to the default here and is reported
    /// by the settings validation at start.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerHttp(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var port = EnvironmentMapping.Read(builder.Configuration, "Worker:HttpPort") is { Length: > 0 } value
                && int.TryParse(value, out var parsed) ? parsed : new WorkerOptions().HttpPort;
            builder.Configuration["urls"] = $"http://0.0.0.0:{port}";
        }
        return builder;
    }
}
