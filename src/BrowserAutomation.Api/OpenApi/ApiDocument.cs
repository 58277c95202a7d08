using NSwag;
using NSwag.Generation.AspNetCore;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>The OpenAPI document at /swagger/v1/swagger.json (UI at /swagger).</summary>
public static class ApiDocument
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static void ConfigureApiDocument(this AspNetCoreOpenApiDocumentGeneratorSettings settings, string apiKeyHeader)
    {
        settings.DocumentName = "v1";
        settings.Title = "Browser Automation API";
        settings.Version = "v1";
        settings.Description =
            "Browser work as jobs: submit with POST /api/v1/jobs (the single-action form, actionType + payload, or url + actions[]) or through "
            + "the action endpoints under /api/v1/actions (optionally waiting for the result with ?wait=30s); follow a job with "
            + "GET /api/v1/jobs/{jobId} or its Server-Sent Events. Invalid input is 400 application/problem+json naming each field "
            + "by JSON path (actions[3].target); a job for an engine the deployment does not serve (SERVED_ENGINES) is 422, one for a served engine waits in its queue until a worker takes it; a failed job carries a "
            + "JobExecutionError. Every endpoint but /health needs an API key (scopes submit, read, admin); a key sees only its owner's jobs.";

        // Declared here, required per operation (SecurityOperationProcessor), so /health stays open.
        settings.AddSecurity(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = apiKeyHeader,
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "An API key (ba_...) in this header. Keys have scopes (submit: create and cancel jobs; read: jobs, logs, artifacts, "
                          + "streams, browser types; admin: everything across all owners, workers, keys) and see only their owner's jobs. "
                          + "Missing, unknown or revoked: 401; wrong scope: 403; over the key's rate limit: 429 with Retry-After.",
        });
        settings.AddSecurity(BearerScheme, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as Authorization: Bearer <key>.",
        });
        settings.OperationProcessors.Add(new SecurityOperationProcessor());

        settings.SchemaSettings.SchemaProcessors.Add(new ActionModelSchemaProcessor());
        settings.DocumentProcessors.Add(new ResponsesDocumentProcessor());
        settings.DocumentProcessors.Add(new ExamplesDocumentProcessor());
    }
}
