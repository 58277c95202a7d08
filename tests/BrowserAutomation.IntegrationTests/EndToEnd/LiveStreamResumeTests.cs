using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// Live status streams that drop and resume: Server-Sent Events with Last-Event-ID and WebSockets with lastEventId get
/// every transition they missed once, in order, then the live ones; another owner's job is never streamed.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class LiveStreamResumeTests(StackFixture stack)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private object SlowVisit() => new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Faults.Url("/slow?ms=1500") } };

    [Fact]
    public async Task An_SSE_client_that_reconnects_with_Last_Event_ID_gets_every_missed_transition_once_in_order()
    {
        var (alice, _, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        var jobId = await SubmitAsync(alice, SlowVisit());

        // The first connection takes the opening event and drops; a transition happens while it is away.
        var first = await ReadSseAsync(alice, $"/api/v1/jobs/{jobId}/events", null, take: 1);
        await WaitForStatusOtherThanAsync(jobId, first[0].Data.GetProperty("status").GetString()!);
        var rest = await ReadSseAsync(alice, $"/api/v1/jobs/{jobId}/events", first[^1].Id, take: int.MaxValue);

        AssertWholeHistory(first.Concat(rest).Select(e => (e.Id, e.Data)).ToList(), first[0].Data.GetProperty("version").GetInt32());
        Assert.NotEmpty(rest);
        Assert.Equal(rest.Select(e => e.Id), rest.Select(e => e.Data.GetProperty("eventId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // The query form resumes the same way, from the very start.
        var replay = await ReadSseAsync(alice, $"/api/v1/jobs/{jobId}/events?lastEventId=0", null, take: int.MaxValue);
        AssertWholeHistory(replay.Select(e => (e.Id, e.Data)).ToList(), 1);

        // Bob: Alice's job is a 404 with or without a resume position, and his own replay carries none of her events.
        using (var response = await bob.GetAsync(new Uri($"/api/v1/jobs/{jobId}/events?lastEventId=0", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var bobJob = await SubmitAsync(bob, new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
        await stack.WaitForFinalStatusAsync(bobJob);
        var bobs = await ReadSseAsync(bob, "/api/v1/jobs/events", "0", take: int.MaxValue, until: e => IsFinal(e, bobJob));
        Assert.All(bobs, e => Assert.Equal(bobJob, e.Data.GetProperty("jobId").GetGuid()));

        // Alice's all-jobs replay holds exactly her job's transitions, in the same order and under the same ids.
        var alices = await ReadSseAsync(alice, "/api/v1/jobs/events", "0", take: int.MaxValue, until: e => IsFinal(e, jobId));
        Assert.Equal(replay.Select(e => e.Id), alices.Select(e => e.Id));
    }

    [Fact]
    public async Task A_WebSocket_client_that_reconnects_with_lastEventId_gets_every_missed_transition_once_in_order()
    {
        var (alice, _, aliceKey) = await stack.TenantAsync();
        var (bob, _, bobKey) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        var jobId = await SubmitAsync(alice, SlowVisit());

        // Key in the header; take the opening status and drop the connection without a goodbye.
        var first = new List<JsonElement>();
        using (var socket = await ConnectAsync($"/api/v1/jobs/{jobId}/ws", aliceKey, inHeader: true))
        {
            Assert.Equal("ready", (await ReceiveAsync(socket)).GetProperty("type").GetString());
            first.Add(await ReceiveAsync(socket));
            socket.Abort();
        }

        await WaitForStatusOtherThanAsync(jobId, first[0].GetProperty("status").GetString()!);

        // As a browser would: no header, the key in the first message, the resume position in the query.
        var rest = new List<JsonElement>();
        using (var socket = await ConnectAsync($"/api/v1/jobs/{jobId}/ws?lastEventId={first[0].GetProperty("eventId").GetInt64()}", aliceKey, inHeader: false))
        {
            Assert.Equal("ready", (await ReceiveAsync(socket)).GetProperty("type").GetString());
            await SendAsync(socket, new { type = "ping" });
            while (await ReceiveOrCloseAsync(socket) is { } message)
            {
                if (message.GetProperty("type").GetString() == "status")
                {
                    rest.Add(message);
                }
            }

            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        }

        var all = first.Concat(rest).Select(e => (e.GetProperty("eventId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), e)).ToList();
        AssertWholeHistory(all, first[0].GetProperty("version").GetInt32());
        Assert.NotEmpty(rest);

        // Bob: refused before the upgrade with his key in the header, and with close code 4404 when it comes in a message.
        using (var refused = new ClientWebSocket())
        {
            refused.Options.SetRequestHeader("X-API-Key", bobKey);
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(SocketUri($"/api/v1/jobs/{jobId}/ws"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.NotFound, refused.HttpStatusCode);
        }

        using (var socket = await ConnectAsync($"/api/v1/jobs/{jobId}/ws?lastEventId=0", bobKey, inHeader: false))
        {
            var error = await ReceiveAsync(socket);
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal(404, error.GetProperty("status").GetInt32());
            Assert.Null(await ReceiveOrCloseAsync(socket));
            Assert.Equal(4404, (int)socket.CloseStatus!);
        }

        // Bob's all-jobs socket replayed from the start carries only his own job.
        var bobJob = await SubmitAsync(bob, new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
        await stack.WaitForFinalStatusAsync(bobJob);
        using (var socket = await ConnectAsync("/api/v1/jobs/ws?lastEventId=0", bobKey, inHeader: false))
        {
            var seen = new List<Guid>();
            while (await ReceiveAsync(socket) is var message)
            {
                if (message.GetProperty("type").GetString() != "status")
                {
                    continue;
                }

                seen.Add(message.GetProperty("jobId").GetGuid());
                if (message.GetProperty("jobId").GetGuid() == bobJob && message.GetProperty("status").GetString() is "completed" or "failed")
                {
                    break;
                }
            }

            Assert.All(seen, id => Assert.Equal(bobJob, id));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
    }

    /// <summary>Ids strictly increase, versions run without a gap or a repeat from <paramref name="fromVersion"/> to the final status.</summary>
    private static void AssertWholeHistory(List<(string Id, JsonElement Data)> events, int fromVersion)
    {
        var versions = events.Select(e => e.Data.GetProperty("version").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(fromVersion, versions.Count), versions);
        var ids = events.Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
    }

    private static bool IsFinal(JsonElement e, Guid jobId) =>
        e.GetProperty("jobId").GetGuid() == jobId && e.GetProperty("status").GetString() is "completed" or "failed" or "cancelled";

    private static async Task<Guid> SubmitAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    private async Task WaitForStatusOtherThanAsync(Guid jobId, string status) =>
        await Wait.UntilAsync(async () => (await stack.GetJobAsync(jobId)).GetProperty("status").GetString() != status, Bound,
            $"job {jobId} to leave {status}");

    /// <summary>Reads SSE events (id and JSON data) until <paramref name="take"/> events, <paramref name="until"/> holds, or the stream ends.</summary>
    private static async Task<List<(string Id, JsonElement Data)>> ReadSseAsync(HttpClient client, string path, string? lastEventId, int take,
        Func<JsonElement, bool>? until = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(Bound);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string Id, JsonElement Data)>();
        string? id = null;
        JsonElement? data = null;
        // Fields come in any order; a blank line ends the event.
        while (events.Count < take && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line["id:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = JsonDocument.Parse(line["data:".Length..]).RootElement.Clone();
            }
            else if (line.Length == 0 && data is { } complete)
            {
                events.Add((id!, complete));
                data = null;
                if (until?.Invoke(complete) == true)
                {
                    break;
                }
            }
        }

        return events;
    }

    private Uri SocketUri(string path) => new($"ws://{stack.BaseAddress.Authority}{path}");

    private async Task<ClientWebSocket> ConnectAsync(string path, string key, bool inHeader)
    {
        var socket = new ClientWebSocket();
        if (inHeader)
        {
            socket.Options.SetRequestHeader("X-API-Key", key);
        }

        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(SocketUri(path), timeout.Token);
        if (!inHeader)
        {
            await SendAsync(socket, new { type = "auth", apiKey = key });
        }

        return socket;
    }

    private static async Task SendAsync(ClientWebSocket socket, object message) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket) =>
        await ReceiveOrCloseAsync(socket) ?? throw new InvalidOperationException($"The socket closed: {socket.CloseStatus} {socket.CloseStatusDescription}");

    /// <summary>The next message, or null once the server has closed (the close is answered).</summary>
    private static async Task<JsonElement?> ReceiveOrCloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                var message = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                // Pongs answer our pings; they are not part of the stream.
                if (message.GetProperty("type").GetString() == "pong")
                {
                    length = 0;
                    continue;
                }

                return message;
            }
        }
    }
}
