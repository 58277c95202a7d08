using System.Net;
using System.Reflection;
using System.Text.Json;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts.Actions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>The OpenAPI document of the running API, and a C# client generated from it that runs a real job.</summary>
[Collection(StackDefinition.Name)]
public sealed class OpenApiTests(StackFixture stack)
{
    private static readonly (string Path, string[] Methods)[] Endpoints =
    [
        ("/health", ["get"]),
        ("/api/v1/browsers", ["get", "post"]),
        ("/api/v1/browsers/{id}", ["delete", "get", "patch"]),
        ("/api/v1/jobs", ["get", "post"]),
        ("/api/v1/jobs/batch", ["post"]),
        ("/api/v1/jobs/{jobId}", ["get", "delete"]),
        ("/api/v1/jobs/{jobId}/logs", ["get"]),
        ("/api/v1/jobs/{jobId}/artifacts/{artifact}", ["get"]),
        ("/api/v1/jobs/{jobId}/events", ["get"]),
        ("/api/v1/jobs/events", ["get"]),
        ("/api/v1/jobs/{jobId}/ws", ["get"]),
        ("/api/v1/jobs/ws", ["get"]),
        ("/api/v1/workers", ["get"]),
        ("/api/v1/workers/stats", ["get"]),
        ("/api/v1/actions/visit", ["post"]),
        ("/api/v1/actions/screenshot", ["post"]),
        ("/api/v1/actions/form-fill", ["post"]),
        ("/api/v1/actions/extract", ["post"]),
        ("/api/v1/actions/pdf", ["post"]),
        ("/api/v1/keys", ["get", "post"]),
        ("/api/v1/keys/{id}", ["delete"]),
        ("/api/v1/overview", ["get"]),
        ("/api/v1/jobs/{jobId}/webhooks", ["get"]),
        ("/api/v1/jobs/{jobId}/webhooks/{deliveryId}/redeliver", ["post"]),
        ("/api/v1/webhook-secret", ["post"]),
        ("/api/v1/keys/{id}/webhook-secret", ["post"]),
        ("/api/v1/keys/{id}/webhook", ["put", "delete"]),
    ];

    // Commands on an existing resource, with nothing to send.
    private static readonly string[] BodylessPosts =
        ["/api/v1/jobs/{jobId}/webhooks/{deliveryId}/redeliver", "/api/v1/webhook-secret", "/api/v1/keys/{id}/webhook-secret"];

    private async Task<string> DocumentAsync() => await stack.Http.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));

    [Fact]
    public async Task The_document_covers_every_endpoint_with_schemas_errors_examples_and_the_api_key()
    {
        var document = JsonDocument.Parse(await DocumentAsync()).RootElement;
        var paths = document.GetProperty("paths");

        Assert.Equal(Endpoints.Select(e => e.Path).Order(StringComparer.Ordinal), paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (path, methods) in Endpoints)
        {
            Assert.Equal(methods.Order(StringComparer.Ordinal), paths.GetProperty(path).EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal));
            foreach (var method in methods)
            {
                var operation = paths.GetProperty(path).GetProperty(method);
                var responses = operation.GetProperty("responses").EnumerateObject().ToList();
                // A WebSocket's success is the upgrade (101); its messages are described there.
                Assert.True(responses.Any(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _)) || (path.EndsWith("/ws", StringComparison.Ordinal)
                    && responses.Any(r => r.Name == "101")), $"{method} {path} documents a success body");
                Assert.All(responses, r => Assert.False(string.IsNullOrEmpty(r.Value.GetProperty("description").GetString()), $"{method} {path} {r.Name}"));
                if (method == "post" && !BodylessPosts.Contains(path))
                {
                    Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
                }
            }
        }

        // Every status a handler can give, with its shape.
        var create = paths.GetProperty("/api/v1/jobs").GetProperty("post").GetProperty("responses");
        Assert.Equal(["200", "202", "400", "401", "403", "409", "422", "429", "500", "503"], create.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.EndsWith("/ProblemDetails", SchemaRef(create, "401", "application/problem+json"), StringComparison.Ordinal);
        Assert.Contains("Retry-After", create.GetProperty("429").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("QUEUE_MAX_DEPTH_PER_ENGINE", create.GetProperty("503").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/HttpValidationProblemDetails", SchemaRef(create, "400", "application/problem+json"), StringComparison.Ordinal);
        Assert.EndsWith("/ProblemDetails", SchemaRef(create, "422", "application/problem+json"), StringComparison.Ordinal);
        Assert.EndsWith("/ProblemDetails", SchemaRef(paths.GetProperty("/api/v1/jobs/{jobId}").GetProperty("get").GetProperty("responses"), "404", "application/problem+json"), StringComparison.Ordinal);

        var screenshot = paths.GetProperty("/api/v1/actions/screenshot").GetProperty("post");
        var shot = screenshot.GetProperty("responses");
        Assert.EndsWith("/JobResponse", SchemaRef(shot, "200", "application/json"), StringComparison.Ordinal);
        Assert.Equal("binary", shot.GetProperty("200").GetProperty("content").GetProperty("image/png").GetProperty("schema").GetProperty("format").GetString());
        Assert.EndsWith("/JobAcceptedResponse", SchemaRef(shot, "202", "application/json"), StringComparison.Ordinal);
        Assert.EndsWith("/JobExecutionError", SchemaRef(shot, "504", "application/json"), StringComparison.Ordinal);
        Assert.EndsWith("/JobExecutionError", SchemaRef(shot, "422", "application/json"), StringComparison.Ordinal);
        Assert.EndsWith("/ProblemDetails", SchemaRef(shot, "422", "application/problem+json"), StringComparison.Ordinal);
        Assert.Contains(screenshot.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "wait" && p.GetProperty("in").GetString() == "query");
        Assert.True(paths.GetProperty("/api/v1/actions/pdf").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/pdf", out _));

        // The action model: the discriminator's values, the error shapes.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal(ActionCatalog.Names, schemas.GetProperty("JobAction").GetProperty("properties").GetProperty("action").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("action", schemas.GetProperty("JobAction").GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(ActionValues.TargetStrategies,
            schemas.GetProperty("JobAction").GetProperty("properties").GetProperty("getTargetBy").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(SingleActionFormTranslator.ActionTypes,
            schemas.GetProperty("SubmitJob").GetProperty("properties").GetProperty("actionType").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails", "JobExecutionError", "JobErrorDetails", "SubmitJob", "JobOptions", "BrowserAvailability" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), name);
        }

        // The key: X-API-Key or Bearer, required on every operation but health, with its 401/403/429.
        var securitySchemes = document.GetProperty("components").GetProperty("securitySchemes");
        var apiKey = securitySchemes.GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-API-Key"), (apiKey.GetProperty("type").GetString(), apiKey.GetProperty("in").GetString(), apiKey.GetProperty("name").GetString()));
        Assert.Equal(("http", "bearer"), (securitySchemes.GetProperty("Bearer").GetProperty("type").GetString(), securitySchemes.GetProperty("Bearer").GetProperty("scheme").GetString()));
        Assert.False(document.TryGetProperty("security", out _), "no document-wide requirement: /health is open");
        Assert.False(paths.GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
        foreach (var (path, methods) in Endpoints.Where(e => e.Path != "/health"))
        {
            foreach (var method in methods)
            {
                var operation = paths.GetProperty(path).GetProperty(method);
                var schemes = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
                Assert.Equal(["ApiKey", "Bearer"], schemes.Order(StringComparer.Ordinal));
                foreach (var status in new[] { "401", "403", "429" })
                {
                    Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path} documents {status}");
                }
            }
        }

        Assert.Contains("admin scope", paths.GetProperty("/api/v1/workers").GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("submit scope", paths.GetProperty("/api/v1/jobs").GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);

        // Examples from the design document.
        var createExamples = paths.GetProperty("/api/v1/jobs").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal("networkidle", createExamples.GetProperty("Single-action form: screenshot").GetProperty("value").GetProperty("payload").GetProperty("waitUntil").GetString());
        Assert.Equal("links", paths.GetProperty("/api/v1/actions/extract").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("example").GetProperty("extractors")[1].GetProperty("name").GetString());
        Assert.Equal("JobExecutionError", shot.GetProperty("504").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("error").GetString());

        // And the interactive UI.
        using var ui = await stack.Http.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static string SchemaRef(JsonElement responses, string status, string contentType) =>
        responses.GetProperty(status).GetProperty("content").GetProperty(contentType).GetProperty("schema").GetProperty("$ref").GetString()!;

    [Fact]
    public async Task A_CSharp_client_generated_from_the_document_compiles_and_runs_a_job()
    {
        var document = await OpenApiDocument.FromJsonAsync(await DocumentAsync());
        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = "BrowserAutomationClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            GenerateClientInterfaces = false,
            CSharpGeneratorSettings = { Namespace = "Generated" },
        }).GenerateFile();

        var client = Compile(code);
        var clientType = client.GetType("Generated.BrowserAutomationClient", throwOnError: true)!;
        // The client sends a tenant's own key (submit + read), as a real consumer of the document would.
        var (http, _, _) = await stack.TenantAsync();
        using var _http = http;
        var instance = clientType.GetConstructor([typeof(HttpClient)]) is { } withHttp
            ? withHttp.Invoke([http])
            : clientType.GetConstructor([typeof(string), typeof(HttpClient)])!.Invoke([stack.BaseAddress.ToString(), http]);
        clientType.GetProperty("BaseUrl")?.SetValue(instance, stack.BaseAddress.ToString());

        // The request goes through the generated model types (their enums and converters), not through a hand-written body.
        var submitJobType = client.GetType("Generated.SubmitJob", throwOnError: true)!;
        var request = JsonConvert.DeserializeObject($$"""
            { "browserTypeId": 1, "actionType": "screenshot",
              "payload": { "url": "{{stack.Site.Url("/page")}}", "waitUntil": "load", "format": "png", "viewport": { "width": 320, "height": 240 } } }
            """, submitJobType)!;
        var accepted = JObject.FromObject(await InvokeAsync(clientType, instance, "CreateJobAsync", request));
        var jobId = accepted["jobId"]!.ToObject<Guid>();
        Assert.Equal("pending", accepted["status"]!.ToString());

        JObject job = null!;
        await Wait.UntilAsync(async () =>
            {
                job = JObject.FromObject(await InvokeAsync(clientType, instance, "GetJobAsync", jobId));
                return job["status"]!.ToString() is "completed" or "failed";
            },
            TimeSpan.FromSeconds(60), $"job {jobId} to finish");

        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal("screenshot", job["actionType"]!.ToString());
        Assert.StartsWith($"/api/v1/jobs/{jobId}/artifacts/", job["result"]!["screenshotUrl"]!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Compiles the generated client in memory against the assemblies this test runs with, and loads it.</summary>
    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(JsonConvert).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "GeneratedBrowserAutomationClient",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "The generated client does not compile:\n"
                                     + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        // Newtonsoft.Json caches compiled accessors, which a collectible load context would not allow.
        return Assembly.Load(image.ToArray());
    }

    private static async Task<object> InvokeAsync(Type clientType, object client, string name, object argument)
    {
        var method = clientType.GetMethods()
            .Where(m => m.Name == name && m.GetParameters().All(p => p.ParameterType != typeof(CancellationToken)))
            .Single();
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == argument.GetType() ? argument : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)
            .ToArray();
        var task = (Task)method.Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
