using System.Security.Cryptography;
using System.Text;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// Keys are "ba_" + 32 random bytes (256 bits, base64url). With that entropy a plain SHA-256 is a sound hash: nothing
/// to brute-force, and a lookup by hash needs no per-key salt.
/// </summary>
public static class ApiKeySecret
{
    public const string KeyPrefix = "ba_";
    private const int PrefixLength = 10;

    public static string Generate() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key's first characters, shown in listings so a key can be recognised without being usable.</summary>
    public static string Prefix(string key) => key[..Math.Min(PrefixLength, key.Length)];

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
