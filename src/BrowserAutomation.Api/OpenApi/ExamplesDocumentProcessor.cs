using Newtonsoft.Json.Linq;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>Request and response examples taken from the design document.</summary>
public sealed class ExamplesDocumentProcessor : IDocumentProcessor
{
    private const string JobId = "550e8400-e29b-41d4-a716-446655440000";

    private static readonly Dictionary<string, (string Summary, string Json)[]> Requests = new()
    {
        ["CreateJob"] =
        [
            ("Single-action form: screenshot", """
                { "browserTypeId": 1, "actionType": "screenshot",
                  "payload": { "url": "https://example.com", "fullPage": true, "waitUntil": "networkidle" }, "priority": 0, "timeoutMs": 30000 }
                """),
            ("Single-action form: form-fill", """
                { "browserTypeId": 1, "actionType": "form-fill",
                  "payload": { "url": "https://example.com/form", "waitForNavigation": true, "actions": [
                    { "type": "fill", "selector": "#email", "value": "user@example.com" },
                    { "type": "fill", "selector": "#password", "value": "secret", "sensitive": true },
                    { "type": "click", "selector": "#submit" } ] } }
                """),
            ("Action list (url + actions)", """
                { "browserTypeId": 1, "url": "https://example.com/login", "waitUntil": "load", "actions": [
                    { "action": "fill", "target": "Your e-mail address", "getTargetBy": "getByLabel", "value": "user@example.com" },
                    { "action": "fill", "target": "#password", "getTargetBy": "getBySelector", "value": "secret123", "sensitive": true },
                    { "action": "click", "target": "Submit", "getTargetBy": "getByText" },
                    { "action": "wait", "milliseconds": 2000 },
                    { "action": "extract", "name": "heading", "target": "h1", "getTargetBy": "getBySelector", "attribute": "textContent" },
                    { "action": "screenshot", "fullPage": true, "format": "png" } ],
                  "options": { "locale": "en-GB", "timezoneId": "Europe/London", "blockResources": ["media", "font"] } }
                """),
        ],
        ["VisitAction"] = [("Example", """{ "url": "https://example.com", "waitUntil": "networkidle", "timeout": 30000 }""")],
        ["ScreenshotAction"] = [("Example", """{ "url": "https://example.com", "fullPage": true, "selector": "#content", "format": "jpeg", "quality": 90 }""")],
        ["FormFillAction"] =
        [
            ("Example", """
                { "url": "https://example.com/form", "actions": [
                    { "type": "fill", "selector": "#email", "value": "user@example.com" },
                    { "type": "fill", "selector": "#password", "value": "secret" },
                    { "type": "click", "selector": "#submit" } ],
                  "waitForNavigation": true }
                """),
        ],
        ["ExtractAction"] =
        [
            ("Example", """
                { "url": "https://example.com", "extractors": [
                    { "name": "title", "selector": "h1", "attribute": "textContent" },
                    { "name": "links", "selector": "a", "attribute": "href", "multiple": true } ] }
                """),
        ],
        ["PdfAction"] =
        [
            ("Example", """
                { "url": "https://example.com", "format": "A4", "printBackground": true,
                  "margin": { "top": "1cm", "right": "1cm", "bottom": "1cm", "left": "1cm" } }
                """),
        ],
    };

    // (operation, status, content type) → example.
    private static readonly (string Operation, string Status, string ContentType, string Json)[] Responses =
    [
        ("CreateJob", "202", "application/json", $$"""{ "jobId": "{{JobId}}", "status": "pending", "createdAt": "2025-10-18T10:00:00Z" }"""),
        ("GetJob", "200", "application/json", $$"""
            { "id": "{{JobId}}", "status": "completed", "actionType": "screenshot", "browserTypeId": 1, "targetUrl": "https://example.com",
              "result": { "screenshotUrl": "/api/v1/jobs/{{JobId}}/artifacts/screenshot.png", "duration": 2500, "finalUrl": "https://example.com/",
                          "httpStatus": 200, "title": "Example Domain" },
              "createdAt": "2025-10-18T10:00:00Z", "completedAt": "2025-10-18T10:00:03Z", "traceId": "4bf92f3577b34da6a3ce929d0e0e4736" }
            """),
        ("ListBrowsers", "200", "application/json", """
            { "data": [ { "id": 1, "name": "Chromium", "type": "chromium", "deviceType": "desktop", "viewport": { "width": 1920, "height": 1080 },
                          "isActive": true, "available": true,
                          "availability": { "liveWorkers": 1, "availableWorkers": 1, "reason": null, "browserVersion": "140.0.7339.185" } } ] }
            """),
        ("WorkerStats", "200", "application/json", """
            { "totalWorkers": 10, "idleWorkers": 7, "busyWorkers": 3, "offlineWorkers": 0,
              "byBrowserType": { "Chromium": { "total": 5, "idle": 3, "busy": 2 }, "Firefox": { "total": 5, "idle": 4, "busy": 1 } } }
            """),
    ];

    private const string ExecutionError = $$"""
        { "statusCode": 504, "error": "JobExecutionError", "message": "Failed to take screenshot",
          "details": { "jobId": "{{JobId}}", "errorType": "timeout", "retryCount": 2, "canRetry": false } }
        """;

    public void Process(DocumentProcessorContext context)
    {
        foreach (var description in context.Document.Operations)
        {
            var operation = description.Operation;
            if (Requests.TryGetValue(operation.OperationId, out var examples) && operation.RequestBody?.Content.TryGetValue("application/json", out var body) == true)
            {
                if (examples.Length == 1)
                {
                    body.Example = JToken.Parse(examples[0].Json);
                }
                else
                {
                    foreach (var (summary, json) in examples)
                    {
                        body.Examples[summary] = new OpenApiExample { Summary = summary, Value = JToken.Parse(json) };
                    }
                }
            }

            foreach (var (id, status, contentType, json) in Responses.Where(r => r.Operation == operation.OperationId))
            {
                if (operation.Responses.TryGetValue(status, out var response) && response.Content.TryGetValue(contentType, out var media))
                {
                    media.Example = JToken.Parse(json);
                }
            }

            if (operation.Responses.TryGetValue("504", out var timeout) && timeout.Content.TryGetValue("application/json", out var error))
            {
                error.Example = JToken.Parse(ExecutionError);
            }
        }
    }
}
