namespace BrowserAutomation.Contracts.Actions;

/// <summary>The target fields (target, getTargetBy, roleName, exact, nth) of any action, by its <see cref="TargetUse"/>.</summary>
internal static class TargetRules
{
    private const string DefaultStrategy = "getBySelector";

    public static JobAction Check(JobAction step, ActionDefinition definition, StepCheck check)
    {
        var hasTargetOptions = step.GetTargetBy is not null || step.Nth is not null || step.Exact is not null || step.RoleName is not null;
        if (definition.Target == TargetUse.Required || step.Target is not null || (definition.Target == TargetUse.Optional && hasTargetOptions))
        {
            if (definition.Target == TargetUse.None)
            {
                check.Problem("target", NoTarget(definition));
                return step;
            }

            return CheckTarget(step, check);
        }

        if (hasTargetOptions)
        {
            check.Problem(step.GetTargetBy is not null ? "getTargetBy" : step.Nth is not null ? "nth" : step.Exact is not null ? "exact" : "roleName",
                NoTarget(definition));
        }

        return step;
    }

    private static JobAction CheckTarget(JobAction step, StepCheck check)
    {
        var strategies = ActionValues.TargetStrategies;
        if (string.IsNullOrWhiteSpace(step.Target))
        {
            check.Problem("target", $"{step.Action} needs a target (with getTargetBy: {string.Join(", ", strategies)}).");
        }

        var strategy = DefaultStrategy;
        if (step.GetTargetBy is { } requested)
        {
            if (ActionValues.Canonical(requested, strategies) is not { } known)
            {
                check.Problem("getTargetBy", $"Unknown getTargetBy '{ActionValues.Shorten(requested)}'. Supported: {string.Join(", ", strategies)}.");
                return step;
            }

            strategy = known;
            step = step with { GetTargetBy = strategy };
        }

        if (strategy == "getByRole")
        {
            if (step.Target is { } role && !string.IsNullOrWhiteSpace(role))
            {
                if (ActionValues.Canonical(role, ActionValues.AriaRoles) is { } canonical)
                {
                    step = step with { Target = canonical };
                }
                else
                {
                    check.Problem("target",
                        $"'{ActionValues.Shorten(role)}' is not an ARIA role: getByRole takes a role such as button, link or textbox in target, and the accessible name in roleName.");
                }
            }
        }
        else if (step.RoleName is not null)
        {
            check.Problem("roleName", "roleName applies to getByRole only.");
        }

        if (step.Exact is not null && strategy is DefaultStrategy or "getByTestId")
        {
            check.Problem("exact",
                $"exact does not apply to {strategy} (it matches text: getByText, getByLabel, getByRole, getByPlaceholder, getByAltText, getByTitle).");
        }

        if (step.Nth is < 0)
        {
            check.Problem("nth", "nth must be 0 or more (0 is the first match).");
        }

        return step;
    }

    private static string NoTarget(ActionDefinition definition) => definition.NoTargetMessage ?? $"{definition.Name} takes no target.";
}
