using System.Globalization;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>API keys (API_KEY_HEADER, API_BOOTSTRAP_ADMIN_KEY, AUTH_DISABLED) and per-key rate limits (RATE_LIMIT_*).</summary>
    public static IHostApplicationBuilder AddApiSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddApiRateLimits();
        builder.Services.AddLookupCache();
        return builder;
    }

    /// <summary>Authentication, authorization and rate limiting, in that order; says at start how requests are authenticated.</summary>
    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(LimitAsync);
        app.LogAuthenticationMode();
        return app;
    }

    /// <summary>
    /// The ApiKey scheme, one policy per scope, and a fallback policy: every endpoint needs a key unless it says
    /// AllowAnonymous (health, the redirect to the docs; the OpenAPI document and UI are middleware, not endpoints).
    /// </summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindSettings(AuthOptions.SectionName);
        services.TryAddTimeProvider();
        services.AddSingleton<BootstrapAdminKey>();
        services.AddScoped<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeProblemResultHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Submit, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyClaims.Scope, Scopes.Submit, Scopes.Admin))
            .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyClaims.Scope, Scopes.Read, Scopes.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyClaims.Scope, Scopes.Admin));
        return services;
    }

    /// <summary>
    /// A fixed window per API key (RateLimit:Max requests per RateLimit:WindowMs, or the key's own values) counted in
    /// PostgreSQL, so every API copy draws on one window; anonymous requests (health) are not limited. Rejections are
    /// 429 problem+json with Retry-After; every limited answer carries X-RateLimit-Limit, -Remaining and -Reset.
    /// </summary>
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindSettings(RateLimitOptions.SectionName);
        services.AddSingleton<IntakeDataSource>();
        services.AddSingleton<SharedRateLimiter>();
        return services;
    }

    /// <summary>Counts the request in its key's window and answers 429 once the window is used up.</summary>
    private static async Task LimitAsync(HttpContext http, Func<Task> next)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await next();
            return;
        }

        var services = http.RequestServices;
        var caller = http.User.GetCaller();
        var (kind, max, window) = Budget(http, caller, services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        var decision = await services.GetRequiredService<SharedRateLimiter>().AcquireAsync($"{caller.KeyId}|{kind}", max, window);
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.ResetAfter.TotalSeconds));
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = max.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = seconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next();
            return;
        }

        IntakeMetrics.Rejected(IntakeMetrics.RateLimited, kind);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This API key may make {max} {kind} per {window / 1000.0:0.###} s; try again in {seconds} s.",
            },
        });
    }

    /// <summary>
    /// Reads (GET/HEAD: a key's jobs, artifacts, logs, streams, listings) draw on their own budget (READ_RATE_LIMIT_*);
    /// submissions and every other change on the key's own limit or RATE_LIMIT_*.
    /// </summary>
    private static (string Kind, int Max, int WindowMs) Budget(HttpContext http, Caller caller, RateLimitOptions defaults) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? ("reads", defaults.ReadMax, defaults.ReadWindowMs)
            : ("requests", caller.RateLimitMax ?? defaults.Max, caller.RateLimitWindowMs ?? defaults.WindowMs);

    /// <summary>The window submissions of this caller are counted in (partition, max, window ms), for endpoints that count more than one.</summary>
    public static (string Partition, int Max, int WindowMs) SubmissionWindow(Caller caller, RateLimitOptions defaults) =>
        ($"{caller.KeyId}|requests", caller.RateLimitMax ?? defaults.Max, caller.RateLimitWindowMs ?? defaults.WindowMs);

    /// <summary>Says at start how requests are authenticated; running without keys is a warning. Never logs a key.</summary>
    public static void LogAuthenticationMode(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BrowserAutomation.Api.Security");
        if (auth.Disabled)
        {
            logger.LogWarning("Authentication is DISABLED (AUTH_DISABLED=true): every request acts as owner {Owner} with every scope. "
                              + "Use this only on a trusted network.", Persistence.Jobs.AutomationJob.DefaultOwner);
        }
        else if (app.Services.GetRequiredService<BootstrapAdminKey>().Configured)
        {
            logger.LogWarning("A bootstrap admin key is configured (API_BOOTSTRAP_ADMIN_KEY); create real keys with it and remove it.");
        }
    }

    /// <summary>The cache of API keys and browser types (LOOKUP_CACHE_MAX_AGE_MS) and its NOTIFY listener.</summary>
    public static IServiceCollection AddLookupCache(this IServiceCollection services)
    {
        services.AddOptions<LookupCacheOptions>().BindSettings(LookupCacheOptions.SectionName);
        services.TryAddTimeProvider();
        services.AddSingleton<LookupCache>();
        services.AddHostedService<LookupCacheListener>();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(services, TimeProvider.System);
}
