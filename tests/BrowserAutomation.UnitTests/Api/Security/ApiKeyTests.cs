using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Api.Security;

/// <summary>Key generation and hashing, scopes, the keys command's argument checks, the ApiKey scheme without a database, and the per-key limiter.</summary>
public sealed class ApiKeyTests
{
    private const string Bootstrap = "bootstrap-admin-key-for-unit-tests-0123456789";

    [Fact]
    public void Keys_are_ba_prefixed_256_bit_base64url_and_stored_as_their_sha256()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecret.Generate()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        foreach (var key in keys)
        {
            Assert.StartsWith("ba_", key, StringComparison.Ordinal);
            Assert.Equal(3 + 43, key.Length);
            Assert.Matches("^ba_[A-Za-z0-9_-]{43}$", key);
        }

        var hash = ApiKeySecret.Hash(keys[0]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys[0]))), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(keys[0][..10], ApiKeySecret.Prefix(keys[0]));
        Assert.True(ApiKeySecret.HashesEqual(hash, ApiKeySecret.Hash(keys[0])));
        Assert.False(ApiKeySecret.HashesEqual(hash, ApiKeySecret.Hash(keys[1])));
    }

    [Theory]
    [InlineData("submit,read", new[] { "submit", "read" })]
    [InlineData(" READ , submit ,read", new[] { "read", "submit" })]
    [InlineData("admin", new[] { "admin" })]
    [InlineData("", null)]
    [InlineData("submit,root", null)]
    [InlineData(null, null)]
    public void Scopes_parse_known_names_only(string? text, string[]? expected) =>
        Assert.Equal(expected, Scopes.Parse(text)?.ToArray());

    [Fact]
    public void A_key_spec_names_each_bad_field()
    {
        Assert.Empty(new ApiKeySpec("ci", "acme", ["read"], 10, 1000, 5).Validate());
        var errors = new ApiKeySpec(" ", " acme", [], 0, 50, 0).Validate();
        Assert.Equal(["maxConcurrentJobs", "name", "owner", "rateLimitMax", "rateLimitWindowMs", "scopes"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.True(new ApiKeySpec("x", "y", ["read", "root"], null, null, null).Validate().ContainsKey("scopes"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("rotate")]
    [InlineData("create --name")]
    [InlineData("create --name x --owner y --scopes everything")]
    [InlineData("create --name x --owner y --scopes read --rate-limit many")]
    [InlineData("create --name x --owner y --scopes read --colour red")]
    [InlineData("revoke not-a-guid")]
    [InlineData("list --all")]
    public async Task The_keys_command_refuses_bad_arguments_with_its_usage_before_touching_the_database(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await KeysCommand.RunAsync(null!, args, output, error));
        Assert.Contains("usage: keys create", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void The_caller_comes_from_the_claims_and_only_admin_sees_every_owner()
    {
        var caller = Principal(("owner", "acme"), ("key_id", "k1"), ("scope", "read"), ("scope", "submit"), ("rate_limit_max", "7"),
            ("max_concurrent_jobs", "3")).GetCaller();
        Assert.Equal(("acme", "k1", 7, (int?)null, 3), (caller.Owner, caller.KeyId, caller.RateLimitMax, caller.RateLimitWindowMs, caller.MaxConcurrentJobs));
        Assert.False(caller.SeesAllOwners);
        Assert.True(Principal(("owner", "ops"), ("scope", "admin")).GetCaller().SeesAllOwners);
    }

    [Fact]
    public void The_environment_variables_map_onto_the_auth_rate_limit_and_limits_sections()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["API_KEY_HEADER"] = "X-Key",
            ["API_BOOTSTRAP_ADMIN_KEY"] = Bootstrap,
            ["AUTH_DISABLED"] = "true",
            ["RATE_LIMIT_MAX"] = "5",
            ["RATE_LIMIT_WINDOW_MS"] = "1000",
            ["MAX_CONCURRENT_JOBS_PER_KEY"] = "7",
            ["QUEUE_MAX_DEPTH_PER_ENGINE"] = "9",
        });
        configuration.AddEnvironmentVariableMapping();

        Assert.Equal("X-Key", configuration["Auth:HeaderName"]);
        Assert.Equal(Bootstrap, configuration["Auth:BootstrapAdminKey"]);
        Assert.Equal("true", configuration["Auth:Disabled"]);
        Assert.Equal("5", configuration["RateLimit:Max"]);
        Assert.Equal("1000", configuration["RateLimit:WindowMs"]);
        Assert.Equal("7", configuration["Limits:MaxConcurrentJobsPerKey"]);
        Assert.Equal("9", configuration["Limits:QueueMaxDepthPerEngine"]);
    }

    [Theory]
    [InlineData("X-API-Key", Bootstrap)]
    [InlineData("Authorization", "Bearer " + Bootstrap)]
    public async Task The_bootstrap_key_authenticates_as_admin_of_owner_admin(string header, string value)
    {
        await using var services = Services(new AuthOptions { BootstrapAdminKey = Bootstrap });
        var http = Request(services, (header, value));
        var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);

        Assert.True(result.Succeeded);
        var caller = result.Principal!.GetCaller();
        Assert.Equal("admin", caller.Owner);
        Assert.Equal(Scopes.All.Order(StringComparer.Ordinal), caller.Scopes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task With_auth_disabled_every_request_is_the_default_owner_with_every_scope()
    {
        await using var services = Services(new AuthOptions { Disabled = true });
        var result = await Request(services).AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);

        Assert.True(result.Succeeded);
        Assert.Equal("default", result.Principal!.GetCaller().Owner);
        Assert.True(result.Principal!.GetCaller().SeesAllOwners);
    }

    [Fact]
    public async Task Without_a_key_the_challenge_is_401_problem_json_with_both_schemes_in_WWW_Authenticate()
    {
        await using var services = Services(new AuthOptions { HeaderName = "X-Custom-Key" });
        var http = Request(services);
        http.Response.Body = new MemoryStream();

        Assert.False((await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName)).Succeeded);
        await http.ChallengeAsync(ApiKeyAuthenticationHandler.SchemeName);

        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.Equal("ApiKey header=\"X-Custom-Key\",Bearer realm=\"browser-automation\"", http.Response.Headers.WWWAuthenticate.ToString());
        Assert.StartsWith("application/problem+json", http.Response.ContentType, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(((MemoryStream)http.Response.Body).ToArray()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-Custom-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static ServiceProvider Services(AuthOptions auth, RateLimitOptions? rateLimit = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(auth));
        services.AddSingleton<BootstrapAdminKey>();
        services.AddSingleton(Options.Create(new BrowserAutomation.Api.Infrastructure.LookupCacheOptions()));
        services.AddSingleton<BrowserAutomation.Api.Infrastructure.LookupCache>();
        // Never opened: these paths do not reach the database.
        services.AddDbContext<AutomationDbContext>(o => o.UseNpgsql("Host=127.0.0.1;Port=1;Database=none"));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddApiRateLimits();
        // After AddApiRateLimits, so it wins over the configuration-bound options.
        services.AddSingleton(Options.Create(rateLimit ?? new RateLimitOptions()));
        return services.BuildServiceProvider();
    }

    private static DefaultHttpContext Request(IServiceProvider services, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        return http;
    }

    private static DefaultHttpContext Context(IServiceProvider services, ClaimsPrincipal user) => new() { RequestServices = services, User = user };

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "ApiKey"));
}
