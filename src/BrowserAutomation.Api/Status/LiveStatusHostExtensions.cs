using BrowserAutomation.Hosting;

namespace BrowserAutomation.Api.Status;

public static class LiveStatusHostExtensions
{
    /// <summary>
    /// Live status streams: their settings (JOB_EVENTS_RETENTION_HOURS, WS_KEEPALIVE_SECONDS, WS_AUTH_TIMEOUT_SECONDS),
    /// the job_events retention sweep, and WebSocket support in front of the pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddLiveStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveStatusOptions>().BindSettings(LiveStatusOptions.SectionName);
        builder.Services.AddHostedService<JobEventsRetention>();
        builder.Services.AddTransient<IStartupFilter, WebSocketsStartupFilter>();
        return builder;
    }

    /// <summary>Adds the WebSocket middleware first, so the endpoints can accept upgrades, without a line in Program.cs.</summary>
    private sealed class WebSocketsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets();
            next(app);
        };
    }
}
