using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>A request's navigation and steps in the one action model, whichever form it came in.</summary>
/// <param name="ActionType">The single-action form's actionType, or "actions" for url + actions.</param>
internal sealed record TranslatedForm(string ActionType, string? Url, string WaitUntil, Viewport? Viewport, IReadOnlyList<JobAction> Actions);
