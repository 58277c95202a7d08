using System.Net;
using System.Net.Sockets;
using System.Text;
using BrowserAutomation.Networking;

namespace BrowserAutomation.IntegrationTests.Networking;

/// <summary>
/// The egress proxy spoken to directly (plain forwarding and CONNECT tunnels), with only 127.0.0.1 allowed and the
/// tests' resolver: the denied loopback aliases never see a connection.
/// </summary>
public sealed class UrlPolicyEgressProxyTests : IAsyncLifetime
{
    private readonly TestHostResolver _resolver = new();
    private LoopbackTargets _targets = null!;
    private EgressProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _targets = await LoopbackTargets.StartAsync();
        _targets.Page("/ok", "<html><head><title>OK</title></head><body>ok</body></html>");
        _proxy = TestEgress.Create(_resolver);
        _proxy.Start();
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        Assert.Equal(0, _targets.DeniedConnections);
        await _targets.DisposeAsync();
    }

    [Fact]
    public async Task Listens_on_loopback_only()
    {
        Assert.Equal(IPAddress.Loopback, _proxy.Endpoint.Address);
        Assert.Equal($"http://127.0.0.1:{_proxy.Endpoint.Port}", _proxy.ProxyServer);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Forwards_an_allowed_plain_request_in_origin_form()
    {
        var response = await SendAsync($"GET {_targets.AllowedBase}/ok?x=1 HTTP/1.1\r\nHost: 127.0.0.1:{_targets.Port}\r\nProxy-Connection: keep-alive\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("<title>OK</title>", response, StringComparison.Ordinal);
        Assert.Equal(1, _targets.AllowedConnections);
    }

    [Theory]
    [InlineData("GET http://127.0.0.2:{port}/ HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n", "loopback")]
    [InlineData("GET http://127.0.0.3:{port}/ HTTP/1.1\r\nHost: 127.0.0.3\r\n\r\n", "loopback")]
    [InlineData("GET http://[::1]:{port}/ HTTP/1.1\r\nHost: [::1]\r\n\r\n", "loopback")]
    [InlineData("GET http://2130706434:{port}/ HTTP/1.1\r\nHost: x\r\n\r\n", "loopback")]
    [InlineData("GET http://[::ffff:7f00:2]:{port}/ HTTP/1.1\r\nHost: x\r\n\r\n", "loopback")]
    [InlineData("GET http://internal.test:{port}/ HTTP/1.1\r\nHost: internal.test\r\n\r\n", "internal.test resolves to 127.0.0.2")]
    [InlineData("POST http://127.0.0.2:{port}/post HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", "loopback")]
    [InlineData("CONNECT 127.0.0.2:{port} HTTP/1.1\r\nHost: 127.0.0.2:{port}\r\n\r\n", "loopback")]
    [InlineData("CONNECT [::1]:{port} HTTP/1.1\r\n\r\n", "loopback")]
    [InlineData("CONNECT internal.test:{port} HTTP/1.1\r\n\r\n", "resolves to 127.0.0.2")]
    [InlineData("CONNECT localhost:{port} HTTP/1.1\r\n\r\n", "loopback")]
    [InlineData("GET http://user@127.0.0.1:{port}/ HTTP/1.1\r\n\r\n", "malformed")]
    public async Task Refuses_denied_targets_with_the_reason_and_never_connects(string request, string reason)
    {
        _resolver.Map("internal.test", [LoopbackTargets.DeniedAlias]);

        var response = await SendAsync(request.Replace("{port}", _targets.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Contains($"{EgressProxy.BlockedHeader}: ", response, StringComparison.Ordinal);
        Assert.Contains(reason, response, StringComparison.Ordinal);
        Assert.Equal(0, _targets.DeniedConnections);
        Assert.Equal(0, _targets.AllowedConnections);
        Assert.Equal(1, _proxy.RefusedCount);
    }

    [Fact]
    public async Task Tunnels_to_an_allowed_address()
    {
        var response = await SendAsync($"CONNECT 127.0.0.1:{_targets.Port} HTTP/1.1\r\nHost: 127.0.0.1:{_targets.Port}\r\n\r\n", "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("<title>OK</title>", response, StringComparison.Ordinal);
        Assert.Equal(1, _targets.AllowedConnections);
    }

    [Fact]
    public async Task Resolves_each_request_once_and_connects_to_the_checked_address_so_rebinding_fails()
    {
        _resolver.Map("rebind.test", [LoopbackTargets.Allowed], [LoopbackTargets.DeniedAlias]);

        var first = await SendAsync($"GET http://rebind.test:{_targets.Port}/ok HTTP/1.1\r\nHost: rebind.test\r\n\r\n");
        var second = await SendAsync($"GET http://rebind.test:{_targets.Port}/ok HTTP/1.1\r\nHost: rebind.test\r\n\r\n");
        var tunnel = await SendAsync($"CONNECT rebind.test:{_targets.Port} HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", first, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", second, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", tunnel, StringComparison.Ordinal);
        Assert.Equal(3, _resolver.Lookups("rebind.test"));
        Assert.Equal(1, _targets.AllowedConnections);
        Assert.True(_proxy.TryGetRecentRefusal($"http://rebind.test:{_targets.Port}/", out var refusal));
        Assert.Contains("127.0.0.2", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_denied_address_among_the_answers_refuses_the_host()
    {
        _resolver.Map("mixed.test", [LoopbackTargets.Allowed, LoopbackTargets.DeniedAlias]);

        var response = await SendAsync($"GET http://mixed.test:{_targets.Port}/ok HTTP/1.1\r\nHost: mixed.test\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Equal(0, _targets.AllowedConnections);
    }

    [Fact]
    public async Task An_unknown_name_is_not_resolved_elsewhere_and_the_connection_is_reset()
    {
        var response = await SendAsync($"GET http://unknown.test:{_targets.Port}/ HTTP/1.1\r\nHost: unknown.test\r\n\r\n");

        Assert.Equal(string.Empty, response);
        Assert.Equal(0, _proxy.RefusedCount);
        Assert.Equal(0, _targets.AllowedConnections);
    }

    /// <summary>Sends a request to the proxy (and, once it answered, more bytes), and reads until the connection closes.</summary>
    private async Task<string> SendAsync(string request, string? then = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_proxy.Endpoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (then is not null)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
                await stream.WriteAsync(Encoding.Latin1.GetBytes(then), timeout.Token);
            }

            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
        }
        catch (IOException)
        {
            // Reset by the proxy.
        }

        return received.ToString();
    }
}
