using System.Globalization;
using System.Net;
using System.Text;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Webhooks;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>
/// Makes one signed POST of a delivery. Connections go through <see cref="PolicyCheckedConnector"/>: the receiver's
/// name is resolved at delivery time and a denied address is refused before any socket is opened. Redirects are not
/// followed (a 3xx is a failed attempt).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly UrlPolicy _policy;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public WebhookSender(UrlPolicy policy, IHostResolver resolver, IOptions<WebhookOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _policy = policy;
        _timeout = TimeSpan.FromMilliseconds(options.Value.TimeoutMs);
        _time = time ?? TimeProvider.System;
        _client = new HttpClient(new PolicyCheckedConnector(policy, resolver).CreateHandler(_timeout), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("BrowserAutomation-Webhooks/1.0");
    }

    public async Task<WebhookAttempt> SendAsync(WebhookDelivery delivery, string? secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (secret is null)
        {
            return new WebhookAttempt(null, $"No signing secret for {delivery.SignerId} (rotate one with POST /api/v1/webhook-secret).", Final: true);
        }

        if (_policy.CheckUrl(delivery.Url) is { Allowed: false } refused)
        {
            return new WebhookAttempt(null, $"url_blocked: {refused.Reason}", Final: true);
        }

        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, delivery.WebhookId, timestamp, delivery.Body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code switch
            {
                >= 200 and < 300 => new WebhookAttempt(code, null, Final: false),
                (int)HttpStatusCode.Gone => new WebhookAttempt(code, "410 Gone: the receiver asked for no more deliveries.", Final: true),
                _ => new WebhookAttempt(code, $"The receiver answered {code} {response.ReasonPhrase}.", Final: false),
            };
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            return new WebhookAttempt(null, refusal.Message, Final: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, $"No answer within {_timeout.TotalMilliseconds:0} ms (WEBHOOK_TIMEOUT_MS).", Final: false);
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message, Final: false);
        }
    }

    public void Dispose() => _client.Dispose();

    private static UrlPolicyRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is UrlPolicyRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
