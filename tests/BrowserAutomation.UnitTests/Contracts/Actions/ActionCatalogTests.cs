using System.Text.Json;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.OpenApi;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Actions;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Playwright;
using NJsonSchema;
using NJsonSchema.Generation;

namespace BrowserAutomation.UnitTests.Contracts.Actions;

/// <summary>The catalogue, the worker's handlers and the OpenAPI document name the same actions; every entry validates sanely.</summary>
public sealed class ActionCatalogTests
{
    public static TheoryData<string> Actions => [.. ActionCatalog.Names];

    [Fact]
    public void The_catalogue_the_workers_handlers_and_the_OpenAPI_action_enum_name_the_same_actions()
    {
        var schema = JsonSchema.FromType<JobAction>(new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
            SchemaProcessors = { new ActionModelSchemaProcessor() },
        });
        var openApi = schema.Properties["action"].Enumeration.Select(v => v?.ToString() ?? "").ToArray();

        Assert.Equal(ActionCatalog.Names.Order(StringComparer.Ordinal), ActionHandlers.Names.Order(StringComparer.Ordinal));
        Assert.Equal(ActionCatalog.Names, openApi);
        Assert.Equal(ActionCatalog.Names.Count, ActionCatalog.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var action in ActionCatalog.All)
        {
            Assert.Contains($"| {action.Name} | {action.Description} |", schema.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Handlers_are_named_after_their_action_and_secret_values_are_the_form_inputs()
    {
        Assert.Equal("waitForSelector", ActionHandlers.ActionName(typeof(WaitForSelectorActionHandler)));
        Assert.Equal("goto", ActionHandlers.ActionName(typeof(GotoActionHandler)));
        var handlerTypes = typeof(IActionHandler).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IActionHandler).IsAssignableFrom(t));
        Assert.All(handlerTypes, t => Assert.EndsWith("ActionHandler", t.Name, StringComparison.Ordinal));
        Assert.Equal(["fill", "type", "select"], ActionCatalog.WithSecretValues);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void An_empty_step_of_every_action_gets_problems_naming_its_missing_fields_and_nothing_throws(string name)
    {
        var definition = ActionCatalog.Find(name)!;
        var context = new StepValidationContext(30_000, evaluateEnabled: true, _ => null);

        var step = StepValidator.Validate(new JobAction { Action = name.ToUpperInvariant() }, 0, f => f is null ? "actions[0]" : $"actions[0].{f}", context);

        Assert.Equal(name, step.Action);
        var paths = context.Problems.All.Select(p => p.Path).ToList();
        Assert.All(context.Problems.All, p => Assert.StartsWith("actions[0].", p.Path, StringComparison.Ordinal));
        Assert.All(context.Problems.All, p => Assert.EndsWith(".", p.Message, StringComparison.Ordinal));
        if (definition.Target == TargetUse.Required)
        {
            Assert.Contains("actions[0].target", paths);
        }
        else if (definition.Target == TargetUse.None)
        {
            Assert.DoesNotContain("actions[0].target", paths);
        }

        foreach (var field in definition.Fields.Where(f => f.Presence != Presence.Optional))
        {
            Assert.Contains($"actions[0].{field.Name}", paths);
        }
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Every_field_of_every_action_is_a_field_of_the_step_and_wrong_values_are_problems_not_exceptions(string name)
    {
        var context = new StepValidationContext(30_000, evaluateEnabled: true, _ => "denied");
        var junk = new JobAction
        {
            Action = name, Target = " ", GetTargetBy = "getByRole", Value = "", Url = "ftp://x", Format = "gif", Quality = -1, Milliseconds = -1,
            Attribute = "1", Name = " ", TimeoutMs = 0, WaitUntil = "never", State = "sometimes", Values = [null!], Delay = -1, Nth = -1,
            Clip = new BrowserAutomation.Contracts.Clip(-1, 0, 0, 0), Margin = new PdfMargin(Top: "lots"), Scale = double.NaN, PageRanges = "first", Expression = " ", Frame = " ",
        };

        StepValidator.Validate(junk, 0, f => f is null ? "actions[0]" : $"actions[0].{f}", context);

        Assert.NotEmpty(context.Problems.All);
    }

    [Fact]
    public void A_refused_URL_is_url_blocked_and_other_problems_are_validation_errors()
    {
        var context = new StepValidationContext(30_000, evaluateEnabled: false, url => url.Contains("internal", StringComparison.Ordinal) ? "a denied host" : null);

        StepValidator.Validate(new JobAction { Action = "goto", Url = "http://internal.test/" }, 0, f => $"actions[0].{f}", context);
        StepValidator.Validate(new JobAction { Action = "goto", Url = "file:///etc/passwd" }, 1, f => $"actions[1].{f}", context);
        StepValidator.Validate(new JobAction { Action = "goto", Url = "not a url" }, 2, f => $"actions[2].{f}", context);

        Assert.Equal(
            [("actions[0].url", JobErrorTypes.UrlBlocked), ("actions[1].url", JobErrorTypes.UrlBlocked), ("actions[2].url", JobErrorTypes.ValidationError)],
            context.Problems.All.Select(p => (p.Path, p.ErrorType)));
        Assert.StartsWith("url_blocked: a denied host", context.Problems.All[0].Message, StringComparison.Ordinal);
    }

    // The API cannot load Playwright's driver, so the catalogue keeps its own lists; these keep them equal to Playwright's and the worker's.
    [Fact]
    public void The_catalogue_knows_exactly_Playwrights_ARIA_roles()
    {
        Assert.Equal(Enum.GetNames<AriaRole>().Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal),
            ActionValues.AriaRoles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_catalogue_knows_exactly_the_workers_paper_formats_and_the_API_the_workers_blockable_resources()
    {
        Assert.Equal(PdfPaper.FormatNames.Order(StringComparer.OrdinalIgnoreCase), ActionValues.PdfFormats.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(JobContextOptions.BlockableResourceTypes.Order(StringComparer.Ordinal), JobOptionsValidator.BlockableResources.Order(StringComparer.Ordinal));
    }
}
