using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com/): secrets are <c>whsec_</c> + base64 bytes, and a
/// message is signed as <c>v1,</c> + base64(HMAC-SHA256(secret bytes, "{webhook-id}.{webhook-timestamp}.{body}")).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes.</summary>
    public static string GenerateSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The secret's key bytes (the base64 after whsec_); false when it is not one of ours.</summary>
    public static bool TryDecodeSecret(string secret, out byte[] key)
    {
        key = [];
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var buffer = new byte[96];
        if (!Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var written) || written is < 24 or > 64)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    /// <summary>The webhook-signature header value for one attempt.</summary>
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        if (!TryDecodeSecret(secret, out var key))
        {
            throw new ArgumentException("Not a whsec_ secret.", nameof(secret));
        }

        var content = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>
    /// What a receiver does: true when one of the space-separated signatures in the header matches (constant time)
    /// and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string webhookId, string timestampHeader, string signatureHeader, string body, DateTimeOffset now,
        TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, webhookId, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
