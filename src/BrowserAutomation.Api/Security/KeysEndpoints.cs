using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BrowserAutomation.Api.Security;

/// <summary>API key management (admin scope). A key's secret is returned once, by POST; listings never show it or its hash.</summary>
public static class KeysEndpoints
{
    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);
        keys.MapPost("/", CreateKey).WithName("CreateApiKey").WithSummary("Create an API key for an owner; the key is in this answer only.");
        keys.MapGet("/", ListKeys).WithName("ListApiKeys").WithSummary("Every key's id, name, owner, scopes, prefix and usage; never the key.");
        keys.MapDelete("/{id:guid}", RevokeKey).WithName("RevokeApiKey").WithSummary("Revoke a key: it is refused (401) from the next request on.");
        return app;
    }

    public static async Task<Results<Created<ApiKeyCreatedResponse>, ValidationProblem>> CreateKey(CreateApiKeyRequest request, ApiKeyStore store,
        WebhookKeys webhookKeys, UrlPolicy urlPolicy, CancellationToken cancellationToken)
    {
        var spec = new ApiKeySpec(request.Name ?? "", request.Owner ?? "", request.Scopes?.Select(s => s.ToLowerInvariant()).Distinct().ToList() ?? [],
            request.RateLimitMax, request.RateLimitWindowMs, request.MaxConcurrentJobs);
        var errors = spec.Validate();
        var webhook = request.Webhook is null ? null : WebhookTargets.Validate(request.Webhook, urlPolicy, "webhook", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The key request is invalid.");
        }

        // The signing secret is staged on the same context, so the key and its secret are stored together.
        var id = MassTransit.NewId.NextSequentialGuid();
        var webhookSecret = webhookKeys.Stage(id.ToString(), webhook?.Url, webhook?.Events);
        var (key, secret) = await store.CreateAsync(spec, cancellationToken, id);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new ApiKeyCreatedResponse(secret, ApiKeyResponse.From(key), webhookSecret));
    }

    public static async Task<Ok<ApiKeyListResponse>> ListKeys(ApiKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ApiKeyListResponse((await store.ListAsync(cancellationToken)).Select(ApiKeyResponse.From).ToList()));

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeKey(Guid id, ApiKeyStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyResponse.From(key))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: $"No API key with id {id}.");
}

/// <summary>A new key. Scopes: submit, read, admin. Limits left out use the server's defaults; webhook: the default for its jobs.</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Owner, IReadOnlyList<string>? Scopes, int? RateLimitMax, int? RateLimitWindowMs,
    int? MaxConcurrentJobs, WebhookSubscription? Webhook = null);

/// <summary>The new key and its webhook signing secret (whsec_..., Standard Webhooks), both shown only here, and its record.</summary>
public sealed record ApiKeyCreatedResponse(string Key, ApiKeyResponse ApiKey, string? WebhookSecret = null);

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Data);

/// <summary>A key's record: never the key or its hash; <see cref="Prefix"/> is its first characters.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Owner, IReadOnlyList<string> Scopes, string Prefix, int? RateLimitMax,
    int? RateLimitWindowMs, int? MaxConcurrentJobs, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) =>
        new(k.Id, k.Name, k.Owner, k.Scopes, k.Prefix, k.RateLimitMax, k.RateLimitWindowMs, k.MaxConcurrentJobs, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
