using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// A stack of its own for the dashboard tests, whose worker runs one job at a time: a slow job of one owner keeps
/// another owner's job pending long enough to watch it go from pending to completed.
/// </summary>
public sealed class DashboardStackFixture : StackFixture
{
    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["Worker__MaxConcurrentJobs"] = "1",
    };

    /// <summary>Submits a job with <paramref name="client"/>'s key and returns its id.</summary>
    public static async Task<Guid> SubmitAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/v1/jobs answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
    }

    /// <summary>A screenshot job of the test site's page.</summary>
    public object Screenshot() => new { browserTypeId = 1, actionType = "screenshot", payload = new { url = Site.Url("/page") } };

    /// <summary>A job that holds the (single-slot) worker until the test opens the gate <paramref name="gate"/> (Site.OpenGate).</summary>
    public object Held(string gate) => new { browserTypeId = 1, actionType = "visit", timeoutMs = 120_000, payload = new { url = Site.Url($"/gate?id={gate}") } };

    /// <summary>A job that fails at once with selector_not_found (the page has no such element).</summary>
    public object Failing() => new
    {
        browserTypeId = 1, url = Site.Url("/page"),
        actions = new object[] { new { action = "click", target = "#no-such-button", getTargetBy = "getBySelector", timeoutMs = 500 } },
    };

    /// <summary>Revokes a key through DELETE /api/v1/keys/{id}.</summary>
    public async Task RevokeKeyAsync(Guid id)
    {
        using var response = await Http.DeleteAsync(new Uri($"/api/v1/keys/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardStackDefinition : ICollectionFixture<DashboardStackFixture>
{
    public const string Name = "dashboard stack";
}
