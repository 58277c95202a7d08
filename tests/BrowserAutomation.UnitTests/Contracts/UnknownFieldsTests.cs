using System.Text.Json;
using BrowserAutomation.Api.Actions;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.UnitTests.Contracts;

public sealed class UnknownFieldsTests
{
    private static Dictionary<string, string[]> Find(string json, Type? type = null)
    {
        using var document = JsonDocument.Parse(json);
        return UnknownFields.Find(document.RootElement, type ?? typeof(SubmitJob), new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    [Theory]
    [InlineData("""{ "browserTypeId": 1, "url": "https://a.test", "priorty": 5, "actions": [] }""", "priorty", "'priority'")]
    [InlineData("""{ "url": "https://a.test", "actions": [ { "action": "wait", "milliseconds": 1 }, { "action": "goto", "url": "x" }, { "action": "extract", "name": "a", "target": "a", "atribute": "href" } ] }""", "actions[2].atribute", "'attribute'")]
    [InlineData("""{ "actionType": "screenshot", "payload": { "url": "https://a.test", "fullpage": true } }""", "payload.fullpage", "'fullPage'")]
    [InlineData("""{ "url": "https://a.test", "options": { "locael": "en-GB" } }""", "options.locael", "'locale'")]
    [InlineData("""{ "url": "https://a.test", "viewport": { "width": 1, "hieght": 2 } }""", "viewport.hieght", "'height'")]
    [InlineData("""{ "actionType": "screenshot", "payload": { "viewport": { "widht": 1, "height": 2 } } }""", "payload.viewport.widht", "'width'")]
    [InlineData("""{ "url": "https://a.test", "options": { "cookies": [ { "name": "a", "value": "b", "domian": "a.test" } ] } }""",
        "options.cookies[0].domian", "'domain'")]
    [InlineData("""{ "url": "https://a.test", "options": { "httpCredentials": { "username": "a", "pasword": "b" } } }""",
        "options.httpCredentials.pasword", "'password'")]
    [InlineData("""{ "actionType": "form-fill", "payload": { "actions": [ { "type": "fill", "selectr": "#a" } ] } }""",
        "payload.actions[0].selectr", "'selector'")]
    [InlineData("""{ "actionType": "extract", "payload": { "extractors": [ { "name": "a", "selector": "a", "multi": true } ] } }""",
        "payload.extractors[0].multi", "'multiple'")]
    [InlineData("""{ "url": "https://a.test", "actions": [ { "action": "screenshot", "clip": { "x": 0, "y": 0, "width": 1, "heigth": 1 } } ] }""",
        "actions[0].clip.heigth", "'height'")]
    public void An_unknown_field_at_any_level_is_named_by_its_path_with_the_nearest_known_one(string json, string path, string suggestion)
    {
        var problems = Find(json);

        var message = Assert.Single(Assert.Single(problems, p => p.Key == path).Value);
        Assert.Single(problems);
        Assert.Contains($"did you mean {suggestion}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_documented_field_is_known_and_free_form_maps_keep_their_keys()
    {
        Assert.Empty(Find("""
            { "browserTypeId": 1, "url": "https://a.test", "waitUntil": "load", "viewport": { "width": 1, "height": 2 }, "userAgent": "u",
              "priority": 1, "timeoutMs": 1000, "maxRetries": 0, "clientReference": "c", "idempotencyKey": "k", "owner": "o",
              "options": { "locale": "en-GB", "timezoneId": "Europe/Paris", "colorScheme": "dark", "extraHttpHeaders": { "X-Anything": "1" },
                           "cookies": [ { "name": "a", "value": "b", "url": "https://a.test", "sameSite": "Lax" } ],
                           "httpCredentials": { "username": "a", "password": "b" }, "javaScriptEnabled": true, "blockResources": ["image"],
                           "deviceScaleFactor": 2, "device": "Pixel 7" },
              "actions": [ { "action": "pdf", "margin": { "top": "1cm" }, "scale": 1 }, { "action": "select", "target": "s", "values": ["a"] } ] }
            """));
    }

    [Fact]
    public void A_name_that_differs_only_in_case_is_refused_with_its_documented_spelling()
    {
        var message = Assert.Single(Find("""{ "url": "https://a.test", "TimeoutMs": 1000 }""")["TimeoutMs"]);

        Assert.Contains("did you mean 'timeoutMs'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_far_from_every_known_one_lists_the_known_fields_instead()
    {
        var message = Assert.Single(Find("""{ "url": "https://a.test", "zzzzzzzz": 1 }""")["zzzzzzzz"]);

        Assert.DoesNotContain("did you mean", message, StringComparison.Ordinal);
        Assert.Contains("Known fields here: actionType, actions, browserTypeId", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_unknown_field_is_reported_at_once_and_values_of_the_wrong_kind_are_left_to_the_binder()
    {
        var problems = Find("""{ "url": 5, "priorty": 1, "options": "x", "actions": [ 1, { "action": "wait", "milisecond": 1 } ] }""");

        Assert.Equal(["actions[1].milisecond", "priorty"], problems.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_action_endpoint_bodies_are_checked_against_their_own_types()
    {
        var problems = Find("""{ "url": "https://a.test", "fullpage": true }""", typeof(ScreenshotActionRequest));

        Assert.Contains("did you mean 'fullPage'", Assert.Single(problems["fullpage"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pixel 7", "Pixel 7")]
    [InlineData("atribute", "attribute")]
    [InlineData("priorty", "priority")]
    [InlineData("fulpage", "fullPage")]
    public void Suggestions_find_case_slips_typos_and_parts(string given, string expected) =>
        Assert.Equal(expected, NameSuggestions.Nearest(given, [.. DeviceCatalog.All, "attribute", "priority", "fullPage", "format"])[0]);
}
