using System.Net.WebSockets;
using System.Security.Claims;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// Live status over WebSocket: /api/v1/jobs/{id}/ws and /api/v1/jobs/ws carry the same events, with the same tenancy,
/// as the Server-Sent Events streams. The key goes in the X-API-Key header (or Authorization: Bearer), or, for browsers
/// that cannot set headers on a WebSocket, in a first message <c>{"type":"auth","apiKey":"…"}</c>; never in the URL,
/// which proxies and access logs keep. Resume with ?lastEventId=. The protocol itself is in <see cref="JobEventsSocket"/>.
/// </summary>
public static class JobEventsSocketEndpoints
{
    public static IEndpointRouteBuilder MapJobEventsSockets(this IEndpointRouteBuilder app)
    {
        // Anonymous at the routing level so that a browser can open the socket and authenticate in its first message.
        var sockets = app.MapGroup("/api/v1/jobs").WithTags("Live status").AllowAnonymous();
        sockets.MapGet("/{jobId:guid}/ws", JobSocket).WithName("JobEventsSocket")
            .WithSummary("WebSocket: the job's status now, then each transition as a JSON message; closes (1000) when the job finishes. "
                         + "Key in X-API-Key or a first {\"type\":\"auth\",\"apiKey\":…} message; resume with ?lastEventId=.");
        sockets.MapGet("/ws", AllJobsSocket).WithName("AllJobEventsSocket")
            .WithSummary("WebSocket: every transition of the key's jobs (every owner's for an admin key) as JSON messages; resume with ?lastEventId=.");
        return app;
    }

    public static Task<IResult> JobSocket(Guid jobId, HttpContext http, [FromQuery] string? lastEventId) => ServeAsync(http, jobId, lastEventId);

    public static Task<IResult> AllJobsSocket(HttpContext http, [FromQuery] string? lastEventId) => ServeAsync(http, null, lastEventId);

    private static async Task<IResult> ServeAsync(HttpContext http, Guid? jobId, string? lastEventId)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problem(StatusCodes.Status400BadRequest, "WebSocket upgrade required",
                "This endpoint speaks WebSocket (ws:// or wss://); GET .../events is the same stream as Server-Sent Events.");
        }

        if (!JobEventFeed.TryParseLastEventId(lastEventId, out var resumeAfter))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid resume position", "lastEventId must be an event id (a whole number of 0 or more).");
        }

        var services = http.RequestServices;
        ClaimsPrincipal? user = null;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            // A key in the header is checked before the upgrade, so a plain HTTP client gets the usual problem answers.
            user = http.User;
            if (!await CanReadAsync(services, user))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden", "The API key lacks the read scope this stream needs.");
            }

            if (jobId is { } id && !await services.GetRequiredService<AutomationDbContext>().Jobs.VisibleTo(user.GetCaller()).AnyAsync(j => j.Id == id))
            {
                return JobProblems.NotFound(id);
            }
        }
        else if (http.Request.Headers.ContainsKey(services.GetRequiredService<IOptions<AuthOptions>>().Value.HeaderName)
                 || http.Request.Headers.Authorization.Count > 0)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "The API key is unknown or revoked.");
        }

        var options = services.GetRequiredService<IOptions<LiveStatusOptions>>().Value;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(options.WebSocketKeepAliveSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(options.WebSocketKeepAliveSeconds * 2),
        });
        using var session = new JobEventsSocket(socket, http, options, services.GetRequiredService<ILogger<JobEventsSocket>>());
        await session.RunAsync(jobId, resumeAfter, user, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        return Results.Empty;
    }

    /// <summary>The same read policy the SSE streams require.</summary>
    internal static async Task<bool> CanReadAsync(IServiceProvider services, ClaimsPrincipal user) =>
        (await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, Policies.Read)).Succeeded;

    /// <summary>
    /// Checks a key sent in a WebSocket message with the very handler that checks headers (same lookup, revocation and
    /// bootstrap rules), on a request of its own that carries only the key.
    /// </summary>
    internal static async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext http, string key)
    {
        var services = http.RequestServices;
        var scheme = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (scheme is null)
        {
            return null;
        }

        var probe = new DefaultHttpContext { RequestServices = services };
        probe.Connection.RemoteIpAddress = http.Connection.RemoteIpAddress;
        probe.Request.Headers.Authorization = "Bearer " + key;
        var handler = (IAuthenticationHandler)ActivatorUtilities.CreateInstance(services, scheme.HandlerType);
        await handler.InitializeAsync(scheme, probe);
        var result = await handler.AuthenticateAsync();
        return result.Succeeded ? result.Principal : null;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
