using System.Security.Cryptography;
using System.Text;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence.Security;

/// <summary>
/// Encrypts a job's secrets before they are stored (automation_jobs.actions and options) or published (the outbox
/// body of JobRequested), and decrypts them in the worker just before the browser needs them. Secrets are the
/// values of fill, type and select steps, cookie values, the HTTP credentials' password and extra header values.
/// <para>
/// Each value becomes <c>enc:v1:{key id}:{base64(nonce | ciphertext | tag)}</c> with AES-256-GCM; the key id (the
/// first bytes of the key's SHA-256) picks the key on the way back, so a previous key keeps working during a
/// rotation. The field's JSON path is bound as associated data, so a ciphertext cannot be moved to another field.
/// </para>
/// </summary>
public sealed class JobSecrets
{
    private const string Prefix = "enc:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public JobSecrets(IOptions<SecretsOptions> options)
    {
        var errors = options.Value.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options.Value)).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SecretsOptions.SectionName, typeof(SecretsOptions), errors.Select(e => e.ErrorMessage!));
        }

        foreach (var (_, text) in options.Value.AllKeys())
        {
            SecretsOptions.TryDecode(text, out var key);
            var id = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));
            _keys.TryAdd(id, key);
            if (_current.Key is null)
            {
                _current = (id, key);
            }
        }
    }

    /// <summary>Whether a stored value is one of ours (encrypted).</summary>
    public static bool IsProtected(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The steps with their secret values encrypted.</summary>
    public IReadOnlyList<JobAction> Protect(IReadOnlyList<JobAction> actions) => MapSecrets(actions, Protect);

    /// <summary>The job options with cookie values, the credentials' password and header values encrypted.</summary>
    public JobOptions? Protect(JobOptions? options) => MapSecrets(options, Protect);

    /// <summary>The job as the browser needs it: every encrypted value decrypted.</summary>
    /// <exception cref="CryptographicException">A value was encrypted with a key this process does not have, or was altered.</exception>
    public JobRequested Unprotect(JobRequested job) =>
        job with { Actions = MapSecrets(job.Actions, Unprotect), Options = MapSecrets(job.Options, Unprotect) };

    /// <summary>One secret value encrypted, bound to <paramref name="field"/> (a webhook signing secret: "webhook_keys.secret").</summary>
    public string ProtectValue(string value, string field) => Protect(value, field)!;

    /// <summary>One value encrypted by <see cref="ProtectValue"/> with the same <paramref name="field"/>.</summary>
    /// <exception cref="CryptographicException">The key is not this process's, or the value was altered.</exception>
    public string UnprotectValue(string value, string field) => Unprotect(value, field)!;

    // The one list of what is secret in a job; map(value, field path) encrypts or decrypts each of them.
    private static List<JobAction> MapSecrets(IReadOnlyList<JobAction> actions, Func<string?, string, string?> map) =>
        actions.Select((a, i) => ActionCatalog.WithSecretValues.Contains(a.Action)
            ? a with
            {
                Value = map(a.Value, $"actions[{i}].value"),
                Values = a.Values?.Select((v, j) => map(v, $"actions[{i}].values[{j}]")!).ToList(),
            }
            : a).ToList();

    private static JobOptions? MapSecrets(JobOptions? options, Func<string?, string, string?> map) => options is null ? null : options with
    {
        Cookies = options.Cookies?.Select((c, i) => c with { Value = map(c.Value, $"cookies[{i}].value")! }).ToList(),
        HttpCredentials = options.HttpCredentials is { } credentials
            ? credentials with { Password = map(credentials.Password, "httpCredentials.password")! }
            : null,
        ExtraHttpHeaders = options.ExtraHttpHeaders?.ToDictionary(h => h.Key, h => map(h.Value, $"extraHttpHeaders.{h.Key}")!),
    };

    private string? Protect(string? value, string field)
    {
        // Always encrypted, even a value that looks encrypted: the worker then types exactly what the client sent.
        if (value is null)
        {
            return value;
        }

        var plain = Encoding.UTF8.GetBytes(value);
        var sealedValue = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceSize, plain.Length), sealedValue.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(field));
        return $"{Prefix}{_current.Id}:{Convert.ToBase64String(sealedValue)}";
    }

    private string? Unprotect(string? value, string field)
    {
        if (value is null || !IsProtected(value))
        {
            return value;
        }

        var rest = value.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            throw new CryptographicException($"The secret at {field} is malformed.");
        }

        var id = rest[..colon].ToString();
        if (!_keys.TryGetValue(id, out var key))
        {
            throw new CryptographicException(
                $"The secret at {field} was encrypted with key {id}, which this process does not have " +
                "(SECRETS_ENCRYPTION_KEY / SECRETS_PREVIOUS_KEYS must match the API's).");
        }

        byte[] sealedValue;
        try
        {
            sealedValue = Convert.FromBase64String(rest[(colon + 1)..].ToString());
        }
        catch (FormatException ex)
        {
            throw new CryptographicException($"The secret at {field} is malformed.", ex);
        }

        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new CryptographicException($"The secret at {field} is malformed.");
        }

        var length = sealedValue.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize, length), sealedValue.AsSpan(NonceSize + length), plain,
            Encoding.UTF8.GetBytes(field));
        return Encoding.UTF8.GetString(plain);
    }
}
