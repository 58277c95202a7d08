using NSwag;
using NSwag.Generation.AspNetCore;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>The OpenAPI document at /swagger/v1/swagger.json (UI at /swagger).</summary>
public static class ApiDocument
{
    public const string ApiKeyScheme = "ApiKey";

    public static void ConfigureApiDocument(this AspNetCoreOpenApiDocumentGeneratorSettings settings)
    {
        settings.DocumentName = "v1";
        settings.Title = "Browser Automation API";
        settings.Version = "v1";
        settings.Description =
            "Browser work as jobs: submit with POST /api/v1/jobs (the seed's actionType + payload form, or url + actions[]) or through "
            + "the action endpoints under /api/v1/actions (optionally waiting for the result with ?wait=30s); follow a job with "
            + "GET /api/v1/jobs/{jobId} or its Server-Sent Events. Invalid input is 400 application/problem+json naming each field "
            + "by JSON path (actions[3].target); a job for an engine no live worker serves is 422; a failed job carries the seed's "
            + "JobExecutionError.";

        settings.AddSecurity(ApiKeyScheme, [], new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = "X-API-Key",
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "The seed's API key header. Not enforced yet: authentication, tenant isolation and rate limits come with the "
                          + "security work, so until then run the API on loopback only. Clients may send the header already.",
        });

        settings.SchemaSettings.SchemaProcessors.Add(new ActionModelSchemaProcessor());
        settings.DocumentProcessors.Add(new ResponsesDocumentProcessor());
        settings.DocumentProcessors.Add(new SeedExamplesDocumentProcessor());
    }
}
