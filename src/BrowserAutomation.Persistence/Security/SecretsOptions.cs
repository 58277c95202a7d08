using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Security;

/// <summary>
/// The key that encrypts form values, cookies, credentials and header values at rest (section "Secrets").
/// The API and every worker must share it.
/// </summary>
public sealed class SecretsOptions : IValidatableObject
{
    public const string SectionName = "Secrets";

    /// <summary>The current key: 32 random bytes, base64 (SECRETS_ENCRYPTION_KEY; <c>openssl rand -base64 32</c>).</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Earlier keys, comma-separated, still accepted for decryption while a rotation drains (SECRETS_PREVIOUS_KEYS).</summary>
    public string? PreviousKeys { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(EncryptionKey))
        {
            yield return new ValidationResult(
                "SECRETS_ENCRYPTION_KEY (Secrets:EncryptionKey) is not set. Form values, cookies and credentials are stored encrypted " +
                "with it; generate one with `openssl rand -base64 32` and give the same value to the API and every worker.",
                [nameof(EncryptionKey)]);
            yield break;
        }

        foreach (var (name, key) in AllKeys())
        {
            if (!TryDecode(key, out _))
            {
                yield return new ValidationResult($"{name} must be 32 bytes in base64 (`openssl rand -base64 32`).", [name]);
            }
        }
    }

    internal IEnumerable<(string Name, string Key)> AllKeys()
    {
        if (!string.IsNullOrWhiteSpace(EncryptionKey))
        {
            yield return ("SECRETS_ENCRYPTION_KEY", EncryptionKey.Trim());
        }

        foreach (var previous in (PreviousKeys ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            yield return ("SECRETS_PREVIOUS_KEYS", previous);
        }
    }

    internal static bool TryDecode(string key, out byte[] bytes)
    {
        bytes = new byte[32];
        return Convert.TryFromBase64String(key, bytes, out var written) && written == 32;
    }
}
