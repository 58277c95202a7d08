using BrowserAutomation.Api.Webhooks;

namespace BrowserAutomation.UnitTests.Api.Webhooks;

public sealed class WebhookSignatureTests
{
    // The test vector published with the Standard Webhooks reference libraries.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signing_reproduces_the_standard_webhooks_test_vector()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecSecret, SpecId, SpecTimestamp, SpecBody));
    }

    [Fact]
    public void A_receiver_accepts_the_vector_among_several_signatures_and_within_the_tolerance()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 60);
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecId, "1614265330", "v1,bm9wZQ== " + SpecSignature, SpecBody, now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("""{"test": 2432232315}""", "1614265330", SpecId)]
    [InlineData(SpecBody, "1614265331", SpecId)]
    [InlineData(SpecBody, "1614265330", "msg_other")]
    public void Any_change_to_body_timestamp_or_id_fails_verification(string body, string timestamp, string id)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);
        Assert.False(WebhookSignature.Verify(SpecSecret, id, timestamp, SpecSignature, body, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void An_old_timestamp_is_refused_even_with_a_good_signature()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 3600);
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId, "1614265330", SpecSignature, SpecBody, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Generated_secrets_are_whsec_with_32_random_bytes_and_differ()
    {
        var first = WebhookSignature.GenerateSecret();
        var second = WebhookSignature.GenerateSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.True(WebhookSignature.TryDecodeSecret(first, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Malformed_secrets_are_refused(string secret)
    {
        Assert.False(WebhookSignature.TryDecodeSecret(secret, out _));
        Assert.Throws<ArgumentException>(() => WebhookSignature.Sign(secret, SpecId, SpecTimestamp, SpecBody));
    }
}
