using System.Security.Cryptography;
using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Security;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Persistence.Security;

public sealed class JobSecretsTests
{
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private static JobSecrets With(string? key, string? previous = null) =>
        new(Options.Create(new SecretsOptions { EncryptionKey = key, PreviousKeys = previous }));

    private static readonly JobAction[] Steps =
    [
        new() { Action = "fill", Target = "#password", Value = "hunter2-password" },
        new() { Action = "type", Target = "#otp", Value = "123456-otp" },
        new() { Action = "select", Target = "#plan", Values = ["gold-plan", "silver-plan"] },
        new() { Action = "click", Target = "#go", GetTargetBy = "getBySelector" },
    ];

    private static readonly JobOptions Options_ = new()
    {
        Locale = "en-GB",
        Cookies = [new JobCookie { Name = "session", Value = "cookie-secret", Url = "https://a.example" }],
        HttpCredentials = new HttpCredentials("alice", "basic-auth-secret"),
        ExtraHttpHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer header-secret" },
    };

    private static JobRequested Job(IReadOnlyList<JobAction> actions, JobOptions? options) => new()
    {
        JobId = Guid.NewGuid(), Attempt = 1, BrowserTypeId = 1, Engine = "chromium", TargetUrl = "https://a.example",
        Actions = actions, TimeoutMs = 30_000, Options = options,
    };

    [Fact]
    public void Protected_values_appear_nowhere_in_the_stored_json_and_come_back_intact()
    {
        var secrets = With(KeyA);
        var actions = secrets.Protect(Steps);
        var options = secrets.Protect(Options_);
        var stored = JsonSerializer.Serialize(actions) + JsonSerializer.Serialize(options);

        foreach (var secret in new[] { "hunter2-password", "123456-otp", "gold-plan", "silver-plan", "cookie-secret", "basic-auth-secret", "header-secret" })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        Assert.True(JobSecrets.IsProtected(actions[0].Value));
        // What is not secret stays readable: targets, the user name, cookie names, header names, other options.
        Assert.Equal(("#password", "alice", "session", "en-GB"), (actions[0].Target, options!.HttpCredentials!.Username, options.Cookies![0].Name, options.Locale));
        Assert.Equal(Steps[3], actions[3]);

        var clear = secrets.Unprotect(Job(actions, options));
        Assert.Equal(["hunter2-password", "123456-otp", null, null], clear.Actions.Select(a => a.Value));
        Assert.Equal(["gold-plan", "silver-plan"], clear.Actions[2].Values!);
        Assert.Equal("cookie-secret", clear.Options!.Cookies![0].Value);
        Assert.Equal("basic-auth-secret", clear.Options.HttpCredentials!.Password);
        Assert.Equal("Bearer header-secret", clear.Options.ExtraHttpHeaders!["Authorization"]);
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time()
    {
        var secrets = With(KeyA);
        Assert.NotEqual(secrets.Protect(Steps)[0].Value, secrets.Protect(Steps)[0].Value);
    }

    [Fact]
    public void A_value_that_looks_encrypted_is_encrypted_again_and_typed_literally()
    {
        var secrets = With(KeyA);
        var looksEncrypted = "enc:v1:deadbeef:AAAA";
        var actions = secrets.Protect([new JobAction { Action = "fill", Target = "#q", Value = looksEncrypted }]);
        Assert.Equal(looksEncrypted, secrets.Unprotect(Job(actions, null)).Actions[0].Value);
    }

    [Fact]
    public void A_previous_key_still_decrypts_during_a_rotation()
    {
        var actions = With(KeyA).Protect(Steps);
        var rotated = With(KeyB, previous: KeyA);
        Assert.Equal("hunter2-password", rotated.Unprotect(Job(actions, null)).Actions[0].Value);
        // New values use the new key.
        Assert.NotEqual(actions[0].Value![..16], rotated.Protect(Steps)[0].Value![..16]);
    }

    [Fact]
    public void A_worker_with_another_key_fails_clearly()
    {
        var actions = With(KeyA).Protect(Steps);
        var ex = Assert.Throws<CryptographicException>(() => With(KeyB).Unprotect(Job(actions, null)));
        Assert.Contains("SECRETS_ENCRYPTION_KEY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ciphertext_moved_to_another_field_or_altered_does_not_decrypt()
    {
        var secrets = With(KeyA);
        var actions = secrets.Protect(Steps);
        var moved = actions.ToList();
        moved[1] = moved[1] with { Value = actions[0].Value };
        Assert.ThrowsAny<CryptographicException>(() => secrets.Unprotect(Job(moved, null)));

        var value = actions[0].Value!;
        var altered = actions.ToList();
        altered[0] = altered[0] with { Value = value[..^4] + (value[^4] == 'A' ? 'B' : 'A') + value[^3..] };
        Assert.ThrowsAny<CryptographicException>(() => secrets.Unprotect(Job(altered, null)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("too-short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    public void A_missing_or_malformed_key_is_refused_at_start(string? key)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => With(key));
        Assert.Contains("SECRETS_ENCRYPTION_KEY", ex.Message, StringComparison.Ordinal);
    }
}
