using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// One live-status WebSocket. Server messages (JSON text): <c>{"type":"ready"}</c> once subscribed, then
/// <c>{"type":"status","eventId",…}</c> per event (the fields of <see cref="JobStatusEvent"/>), <c>{"type":"pong"}</c>
/// for each client <c>{"type":"ping"}</c>, and <c>{"type":"error","status","title","detail"}</c> before a refusal. Close
/// codes: 1000 the job finished, 1001 the server is shutting down, 4400 bad message, 4401 no or bad key, 4403 no read
/// scope, 4404 no such job for this key. WebSocket pings keep the connection alive; a client that stops answering is dropped.
/// </summary>
public sealed class JobEventsSocket(WebSocket socket, HttpContext http, LiveStatusOptions options, ILogger<JobEventsSocket> logger) : IDisposable
{
    private const int MaxMessageBytes = 8 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task RunAsync(Guid? jobId, long? resumeAfter, ClaimsPrincipal? user, CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            user ??= await AuthenticateAsync(session.Token);
            if (user is null)
            {
                return;
            }

            var caller = user.GetCaller();
            var db = http.RequestServices.GetRequiredService<AutomationDbContext>();
            using var subscription = http.RequestServices.GetRequiredService<JobStatusHub>().Subscribe(jobId);
            AutomationJob? job = null;
            if (jobId is { } id)
            {
                job = await db.Jobs.AsNoTracking().VisibleTo(caller).SingleOrDefaultAsync(j => j.Id == id, session.Token);
                if (job is null)
                {
                    await RefuseAsync(4404, 404, "Not found", $"Job {id} does not exist.", session.Token);
                    return;
                }
            }

            await SendAsync(new { type = "ready", jobId, resumedAfter = resumeAfter }, session.Token);
            // Receives are never cancelled by the session (that would abort the socket before it could say goodbye).
            var receiving = ReceiveAsync(session);
            var events = JobEventFeed.ReadAsync(new JobEventFeed.Scope(jobId, caller, "websocket"), job, resumeAfter, db, subscription, session.Token);
            await foreach (var e in events)
            {
                await SendAsync(new
                {
                    type = "status", e.EventId, e.JobId, e.Status, e.PreviousStatus, e.Version, e.Attempt, e.ChangedAt,
                }, session.Token);
            }

            // Only a one-job stream ends by itself: its job has finished.
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "job finished");
            await WaitAsync(receiving);
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            if (stopping.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                logger.LogDebug("Live status WebSocket for {JobId} closed: the server is shutting down", jobId);
                await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            }
        }
        catch (WebSocketException e)
        {
            logger.LogDebug("Live status WebSocket for {JobId} ended: {Error}", jobId, e.Message);
        }
    }

    /// <summary>A socket opened without a key header must first send <c>{"type":"auth","apiKey":"…"}</c>; the key is never logged.</summary>
    private async Task<ClaimsPrincipal?> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var receive = ReceiveJsonAsync(http.RequestAborted);
        var deadline = Task.Delay(TimeSpan.FromSeconds(options.WebSocketAuthTimeoutSeconds), cancellationToken);
        JsonElement? message = null;
        if (await Task.WhenAny(receive, deadline) == receive)
        {
            message = await receive;
        }
        else
        {
            // The pending receive ends with the socket; nothing waits for it.
            _ = receive.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }

        if (message is not { } auth || Text(auth, "type") != "auth" || Text(auth, "apiKey") is not { Length: > 0 } key)
        {
            await RefuseAsync(4401, 401, "Unauthorized",
                "Send the API key in the X-API-Key header, or as the first message: {\"type\":\"auth\",\"apiKey\":\"…\"}.", cancellationToken);
            return null;
        }

        var user = await JobEventsSocketEndpoints.AuthenticateAsync(http, key);
        if (user is null)
        {
            logger.LogInformation("Live status WebSocket refused: the API key in its auth message is unknown or revoked");
            await RefuseAsync(4401, 401, "Unauthorized", "The API key is unknown or revoked.", cancellationToken);
            return null;
        }

        if (!await JobEventsSocketEndpoints.CanReadAsync(http.RequestServices, user))
        {
            await RefuseAsync(4403, 403, "Forbidden", "The API key lacks the read scope this stream needs.", cancellationToken);
            return null;
        }

        return user;
    }

    /// <summary>Answers pings until the client closes (which ends the session) or the session ends.</summary>
    private async Task ReceiveAsync(CancellationTokenSource session)
    {
        try
        {
            while (!session.IsCancellationRequested)
            {
                var message = await ReceiveJsonAsync(http.RequestAborted);
                if (message is null)
                {
                    break;
                }

                if (Text(message.Value, "type") == "ping")
                {
                    await SendAsync(new { type = "pong" }, session.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or JsonException)
        {
            // The session is ending anyway.
        }
        finally
        {
            await session.CancelAsync();
        }
    }

    /// <summary>The next JSON text message, or null when the client closed (the close is answered).</summary>
    private async Task<JsonElement?> ReceiveJsonAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are at most {MaxMessageBytes} bytes");
                return null;
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by the client");
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                try
                {
                    return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                }
                catch (JsonException)
                {
                    await SendAsync(new { type = "error", status = 400, title = "Bad message", detail = "Messages are JSON objects with a type." },
                        cancellationToken);
                    length = 0;
                }
            }
        }
    }

    private async Task RefuseAsync(int closeCode, int status, string title, string detail, CancellationToken cancellationToken)
    {
        await SendAsync(new { type = "error", status, title, detail }, cancellationToken);
        await CloseAsync((WebSocketCloseStatus)closeCode, title);
    }

    private async Task SendAsync(object message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, Json));
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends our close frame once; the client's answer is read by the receive loop (or not at all when it has gone).</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        await _sending.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away first.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Gives the client a moment to answer our close frame.</summary>
    private static async Task WaitAsync(Task receiving) => await receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { });

    public void Dispose() => _sending.Dispose();

    private static string? Text(JsonElement message, string property) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
