using System.Diagnostics.Metrics;
using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// Strict input for every endpoint with a JSON body: a member the body's type does not have (anywhere in it) is a 400
/// naming its JSON path and the nearest known field, before the body is bound. The body type comes from the endpoint's
/// own metadata, so new endpoints and new fields are covered without a list.
/// </summary>
public static class StrictRequestBodies
{
    private static readonly Counter<long> Rejections = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.input.unknown_fields", "{request}", "Requests and bus commands refused for fields their type does not have");

    /// <summary>Counts one refused request or command (the source is "rest" or "bus").</summary>
    /// <param name="source">rest or bus.</param>
    public static void CountRejection(string source) => Rejections.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>Runs after authentication and rate limiting, so an unknown caller still gets 401 and a throttled one 429.</summary>
    public static WebApplication UseStrictRequestBodies(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } type } accepts
                && !accepts.IsOptional && http.Request.HasJsonContentType() && !IsFreeForm(type))
            {
                var problems = await FindUnknownFieldsAsync(http, type);
                if (problems.Count > 0)
                {
                    CountRejection("rest");
                    await TypedResults.ValidationProblem(problems, title: "The request has fields its endpoint does not know.",
                        detail: "Unknown fields are refused rather than ignored; each is named by its JSON path with the nearest known field.")
                        .ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });
        return app;
    }

    private static bool IsFreeForm(Type type) => type == typeof(JsonElement) || type == typeof(object) || type == typeof(string);

    private static async Task<Dictionary<string, string[]>> FindUnknownFieldsAsync(HttpContext http, Type type)
    {
        http.Request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            return UnknownFields.Find(document.RootElement, type, options);
        }
        catch (JsonException)
        {
            // Not JSON at all: the binder answers with its own problem naming the position.
            return [];
        }
        finally
        {
            http.Request.Body.Position = 0;
        }
    }
}
