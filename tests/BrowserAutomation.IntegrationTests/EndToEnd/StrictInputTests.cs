using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Unknown fields are refused through the API and the bus, each named by its JSON path with the nearest known field.</summary>
[Collection(ClientInputDefinition.Name)]
public sealed class StrictInputTests(ClientInputFixture stack)
{
    private static readonly Uri Jobs = new("/api/v1/jobs", UriKind.Relative);

    private static async Task<JsonElement> ErrorsOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").Clone();
    }

    private static void AssertSuggests(JsonElement errors, string path, string suggestion) =>
        Assert.Contains($"did you mean '{suggestion}'", errors.GetProperty(path)[0].GetString(), StringComparison.Ordinal);

    [Fact]
    public async Task Misspelled_fields_at_every_level_of_a_rest_submission_are_400_with_path_and_suggestion()
    {
        var page = stack.Site.Url("/page");
        using var actionList = await stack.Http.PostAsJsonAsync(Jobs, new
        {
            browserTypeId = 1, url = page, priorty = 5,
            options = new { locale = "en-GB", cookies = new[] { new { name = "a", value = "b", url = page, httpOnyl = true } } },
            actions = new object[]
            {
                new { action = "wait", milliseconds = 1 }, new { action = "goto", url = page },
                new { action = "extract", name = "link", target = "a", atribute = "href" },
            },
        });
        var errors = await ErrorsOfAsync(actionList);
        AssertSuggests(errors, "priorty", "priority");
        AssertSuggests(errors, "actions[2].atribute", "attribute");
        AssertSuggests(errors, "options.cookies[0].httpOnyl", "httpOnly");

        using var single = await stack.Http.PostAsJsonAsync(Jobs, new
        {
            browserTypeId = 1, actionType = "screenshot", payload = new { url = page, fullpage = true, viewport = new { width = 640, hieght = 480 } },
        });
        errors = await ErrorsOfAsync(single);
        AssertSuggests(errors, "payload.fullpage", "fullPage");
        AssertSuggests(errors, "payload.viewport.hieght", "height");

        using var action = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/actions/screenshot", UriKind.Relative), new { url = page, fullpage = true });
        AssertSuggests(await ErrorsOfAsync(action), "fullpage", "fullPage");
    }

    [Fact]
    public async Task A_bus_command_with_an_unknown_field_is_rejected_naming_it_and_creates_nothing()
    {
        var reference = $"strict-{Guid.NewGuid():N}";
        var rejected = await BusRejections.SubmitAndAwaitAsync(stack, new
        {
            browserTypeId = 1, actionType = "screenshot", clientReference = reference, priorty = 5,
            payload = new { url = stack.Site.Url("/page"), fullpage = true },
        }, reference, TimeSpan.FromSeconds(30));

        var errors = rejected.GetProperty("errors");
        AssertSuggests(errors, "priorty", "priority");
        AssertSuggests(errors, "payload.fullpage", "fullPage");
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0", reference));
    }
}
