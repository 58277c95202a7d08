using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// The request body limit (Kestrel:Limits:MaxRequestBodySize, REQUEST_MAX_BODY_BYTES; 1 MB by default): Kestrel
/// binds only its endpoints from configuration, so the limits are bound here, and a body over the limit, whether
/// announced by Content-Length or found while reading a chunked body, is answered 413 problem+json naming the limit.
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<KestrelServerOptions>(kestrel => configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
        services.AddOptions<ProblemDetailsOptions>().Configure<Microsoft.Extensions.Options.IOptions<KestrelServerOptions>>((problems, kestrel) =>
        {
            var previous = problems.CustomizeProblemDetails;
            problems.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
                {
                    context.ProblemDetails.Title = "The request body is too large.";
                    context.ProblemDetails.Detail = string.Create(CultureInfo.InvariantCulture,
                        $"Request bodies are limited to {kestrel.Value.Limits.MaxRequestBodySize} bytes (REQUEST_MAX_BODY_BYTES); nothing was accepted.");
                }
            };
        });
        return services;
    }
}
