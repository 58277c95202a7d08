using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Status;
using Microsoft.AspNetCore.Mvc;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>
/// Completes what the endpoints' return types cannot say: the problem responses each operation can give
/// (application/problem+json), file and event-stream content types, the action endpoints' two shapes of 200/422/503,
/// the Idempotency-Key header and ?wait, and a description for every status code.
/// </summary>
public sealed class ResponsesDocumentProcessor : IDocumentProcessor
{
    private const string ProblemJson = "application/problem+json";
    private const string Json = "application/json";

    // Problems beyond the 500/503 every /api/v1 operation can answer (unexpected error; database unreachable).
    private static readonly Dictionary<string, (int Status, string Description)[]> Problems = new()
    {
        ["CreateJob"] =
        [
            (409, "The Idempotency-Key was used before with a different body."),
            (422, "This deployment does not serve the browser type's engine (SERVED_ENGINES): nothing was created (the detail names the engine). A served engine without a live worker right now is accepted (202) and waits in its queue."),
            (429, TooManyOnSubmit),
        ],
        ["RevokeApiKey"] = [(404, "No API key with this id.")],
        ["GetJob"] = [(404, "No job with this id.")],
        ["CancelJob"] = [(404, "No job with this id.")],
        ["GetJobLogs"] = [(404, "No job with this id.")],
        ["GetJobArtifact"] = [(404, "The job has no artifact with this id or file name.")],
        ["JobEvents"] = [(400, "Last-Event-ID / lastEventId is not an event id."), (404, "No job with this id.")],
        ["AllJobEvents"] = [(400, "Last-Event-ID / lastEventId is not an event id.")],
        ["JobEventsSocket"] = [(400, NotASocket), (401, SocketKey), (403, SocketScope), (404, "No job with this id (key in the header).")],
        ["AllJobEventsSocket"] = [(400, NotASocket), (401, SocketKey), (403, SocketScope)],
        ["GetBrowser"] = [(404, "No browser type with this id.")],
    };

    private const string NotASocket = "Not a WebSocket upgrade request, or lastEventId is not an event id.";
    private const string SocketKey = "The key in the X-API-Key / Authorization header is unknown or revoked (a key sent in the first message is refused with close code 4401).";
    private const string SocketScope = "The key in the header lacks the read scope (a key sent in the first message: close code 4403).";

    private const string TooManyOnSubmit =
        "Over the key's rate limit, or its owner already has the most pending + processing jobs the key allows (the detail names the "
        + "limit): problem+json with Retry-After; nothing was created.";

    private const string QueueFullOnSubmit =
        "The engine's backlog of pending jobs is at QUEUE_MAX_DEPTH_PER_ENGINE, or the database is unavailable: problem+json with "
        + "Retry-After; nothing was created.";

    private static readonly Dictionary<string, string[]> FileTypes = new()
    {
        ["ScreenshotAction"] = ["image/png", "image/jpeg"],
        ["PdfAction"] = ["application/pdf"],
    };

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["200"] = "OK.",
        ["201"] = "Created; Location names it.",
        ["202"] = "Accepted: the job is stored and queued; Location names it. Poll it, or follow its events.",
        ["400"] = "Invalid request: problem+json whose errors name each bad field by JSON path (payload.url, actions[3].target).",
        ["403"] = "The job failed: url_blocked (JobExecutionError).",
        ["404"] = "Not found.",
        ["409"] = "Conflict.",
        ["413"] = "The job failed: artifact_too_large (JobExecutionError).",
        ["422"] = "Unprocessable.",
        ["500"] = "An unexpected error (problem+json, without internals).",
        ["502"] = "The job failed: navigation_failed (JobExecutionError).",
        ["503"] = "The database is unavailable (problem+json with Retry-After); nothing was accepted.",
        ["504"] = "The job failed: timeout (JobExecutionError).",
    };

    public void Process(DocumentProcessorContext context)
    {
        JsonSchema Reference(Type type) =>
            new() { Reference = context.SchemaGenerator.GenerateWithReference<JsonSchema>(type.ToContextualType(), context.SchemaResolver).ActualSchema };

        var problem = Reference(typeof(ProblemDetails));
        var executionError = Reference(typeof(JobExecutionError));
        var binary = () => new JsonSchema { Type = JsonObjectType.String, Format = JsonFormatStrings.Binary };

        foreach (var description in context.Document.Operations)
        {
            var operation = description.Operation;
            var id = operation.OperationId;

            // Problem bodies are served as application/problem+json.
            foreach (var response in operation.Responses.Values)
            {
                if (response.Content.TryGetValue(Json, out var media) && media.Schema?.ActualSchema is { } schema && IsProblem(schema))
                {
                    response.Content.Remove(Json);
                    response.Content[ProblemJson] = media;
                }
            }

            if (id == "Health")
            {
                var health = Reference(typeof(HealthResponse));
                Response(operation, 200, "The API and its database answer.", Json, health);
                Response(operation, 503, "The database does not answer.", Json, health);
                continue;
            }

            foreach (var (status, text) in Problems.GetValueOrDefault(id) ?? [])
            {
                Response(operation, status, text, ProblemJson, problem);
            }

            if (operation.Security is { Count: > 0 })
            {
                Response(operation, 401, "No API key, or an unknown or revoked one (problem+json, WWW-Authenticate).", ProblemJson, problem);
                Response(operation, 403, "The API key lacks the scope this operation needs (problem+json naming it).", ProblemJson, problem);
                Response(operation, 429, "Over the API key's rate limit (problem+json, Retry-After).", ProblemJson, problem);
            }

            Response(operation, 500, Descriptions["500"], ProblemJson, problem);
            Response(operation, 503, id == "CreateJob" ? QueueFullOnSubmit : Descriptions["503"], ProblemJson, problem);

            switch (id)
            {
                case "GetJobArtifact":
                    var file = Response(operation, 200, "The file, with its content type.", "image/png", binary());
                    foreach (var type in new[] { "image/jpeg", "application/pdf", "application/octet-stream" })
                    {
                        file.Content[type] = new OpenApiMediaType { Schema = binary() };
                    }

                    break;

                case "JobEvents" or "AllJobEvents":
                    operation.Responses["200"] = new OpenApiResponse
                    {
                        Description = "Server-Sent Events; each event's data is a JobStatusEvent (JSON).",
                        Content = { ["text/event-stream"] = new OpenApiMediaType { Schema = Reference(typeof(JobStatusEvent)) } },
                    };
                    break;

                case "JobEventsSocket" or "AllJobEventsSocket":
                    operation.Responses.Remove("200");
                    operation.Responses["101"] = new OpenApiResponse
                    {
                        Description = "Switching Protocols: a WebSocket of JSON text messages ({type: ready | status | pong | error}); "
                                      + "status messages carry a JobStatusEvent's fields.",
                    };
                    // Anonymous for routing (a browser may send its key in the first message), but a key is always required.
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [ApiDocument.ApiKeyScheme] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [ApiDocument.BearerScheme] = [] });
                    Response(operation, 429, "Over the API key's rate limit (key in the header; problem+json, Retry-After).", ProblemJson, problem);
                    operation.Description = "Needs an API key with the read scope (or admin): in X-API-Key / Authorization: Bearer, or as the "
                                            + "first message {\"type\":\"auth\",\"apiKey\":\"…\"} (browsers cannot set WebSocket headers).";
                    break;

                case "CreateJob":
                    IdempotencyKey(operation);
                    break;

                case "CreateApiKey":
                    operation.Responses["201"].Description = "The new key, in this answer only (store it now), and its record.";
                    break;

                case var action when action.EndsWith("Action", StringComparison.Ordinal):
                    ActionResponses(operation, FileTypes.GetValueOrDefault(action) ?? [], problem, executionError, binary, Reference(typeof(JobResponse)));
                    IdempotencyKey(operation);
                    break;
            }

            foreach (var (status, response) in operation.Responses)
            {
                if (string.IsNullOrEmpty(response.Description))
                {
                    response.Description = Descriptions.GetValueOrDefault(status, "");
                }
            }
        }

        // The SSE result type's wrapper is not what goes over the wire, and nothing else refers to it.
        context.Document.Components.Schemas.Remove("SseItemOfJobStatusEvent");
    }

    private static void ActionResponses(OpenApiOperation operation, string[] fileTypes, JsonSchema problem, JsonSchema executionError, Func<JsonSchema> binary,
        JsonSchema job)
    {
        var ok = new OpenApiResponse
        {
            Description = fileTypes.Length == 0
                ? "With ?wait: the job finished in time; its status and result."
                : $"With ?wait: the job finished in time; its status and result, or the file itself when Accept is {string.Join(" or ", fileTypes)}.",
            Content = { [Json] = new OpenApiMediaType { Schema = job } },
        };
        foreach (var type in fileTypes)
        {
            ok.Content[type] = new OpenApiMediaType { Schema = binary() };
        }

        operation.Responses["200"] = ok;

        Both(operation, 409, "The Idempotency-Key was used before with a different body (problem), or the job was cancelled during the wait (JobExecutionError).");
        Both(operation, 422, "The deployment does not serve the engine (SERVED_ENGINES): nothing was created (problem); or, with ?wait, the job failed with selector_not_found or validation_error (JobExecutionError).");
        Both(operation, 503, "The engine's backlog is full or the database is unavailable (problem, Retry-After); or, with ?wait, the job failed "
                             + "with browser_crashed (JobExecutionError).");
        operation.Responses["429"] = new OpenApiResponse
        {
            Description = TooManyOnSubmit,
            Content = { [ProblemJson] = new OpenApiMediaType { Schema = problem } },
        };
        Both(operation, 500, "An unexpected error (problem); or, with ?wait, the job failed with internal_error (JobExecutionError).");

        foreach (var parameter in operation.Parameters.Where(p => p.Name == "wait"))
        {
            parameter.Description = "Wait for the job to finish: a duration such as 30s or 1500ms, or milliseconds (30000); at most 120 s. "
                                    + "Finished in time: the result (200) or its execution error; otherwise 202 with Location.";
            parameter.Example = "30s";
        }

        void Both(OpenApiOperation target, int status, string description)
        {
            target.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = description,
                Content =
                {
                    [ProblemJson] = new OpenApiMediaType { Schema = problem },
                    [Json] = new OpenApiMediaType { Schema = executionError },
                },
            };
        }
    }

    private static void IdempotencyKey(OpenApiOperation operation)
    {
        if (operation.Parameters.Any(p => p.Name == "Idempotency-Key"))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            Kind = OpenApiParameterKind.Header,
            IsRequired = false,
            Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = 200 },
            Description = "Submitting again with the same key and body returns the same job (200, Idempotent-Replayed: true); with another body, 409. "
                          + "Keys are per owner: another tenant's use of the same key is a different job.",
        });
    }

    private static OpenApiResponse Response(OpenApiOperation operation, int status, string description, string contentType, JsonSchema schema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var response))
        {
            operation.Responses[key] = response = new OpenApiResponse { Description = description };
        }
        else if (string.IsNullOrEmpty(response.Description))
        {
            response.Description = description;
        }

        response.Content.TryAdd(contentType, new OpenApiMediaType { Schema = schema });
        return response;
    }

    /// <summary>ProblemDetails or a schema built on it (HttpValidationProblemDetails is allOf ProblemDetails).</summary>
    private static bool IsProblem(JsonSchema schema) =>
        (schema.ActualProperties.ContainsKey("title") && schema.ActualProperties.ContainsKey("status") && schema.ActualProperties.ContainsKey("detail"))
        || schema.AllOf.Any(part => IsProblem(part.ActualSchema));
}
