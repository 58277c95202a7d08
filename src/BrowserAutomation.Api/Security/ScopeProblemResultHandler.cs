using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace BrowserAutomation.Api.Security;

/// <summary>A 403 names the scope the endpoint needs (problem+json); everything else is the default behaviour.</summary>
public sealed class ScopeProblemResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>()
            .Where(r => r.ClaimType == ApiKeyClaims.Scope)
            .SelectMany(r => r.AllowedValues ?? [])
            .Distinct().ToList() ?? [];
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = needed.Count == 0
                    ? "The API key lacks the scope this endpoint needs."
                    : $"The API key lacks the scope this endpoint needs: {string.Join(" or ", needed)}.",
            },
        });
    }
}
