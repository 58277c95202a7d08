using BrowserAutomation.Api.Security;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.OpenApi;

public static class ApiDocumentHostExtensions
{
    /// <summary>The OpenAPI document, its API key scheme named after the configured header (API_KEY_HEADER).</summary>
    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddOpenApiDocument((document, services) =>
            document.ConfigureApiDocument(services.GetRequiredService<IOptions<AuthOptions>>().Value.HeaderName));
        return builder;
    }

    /// <summary>Serves the document at /swagger/v1/swagger.json and the UI at /swagger, where "/" leads.</summary>
    public static WebApplication UseApiDocument(this WebApplication app)
    {
        app.UseOpenApi();
        app.UseSwaggerUi();
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
