using System.Globalization;
using BrowserAutomation.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// The request body limit (<see cref="RequestLimitsOptions"/>): Kestrel binds only its endpoints from configuration, so
/// the limit is set here, and a body over the limit, whether
/// announced by Content-Length or found while reading a chunked body, is answered 413 problem+json naming the limit.
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>().BindSettings(RequestLimitsOptions.SectionName);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodySize);
        services.AddOptions<ProblemDetailsOptions>().Configure<IOptions<KestrelServerOptions>>((problems, kestrel) =>
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
