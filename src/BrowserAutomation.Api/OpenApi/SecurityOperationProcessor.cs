using BrowserAutomation.Api.Security;
using Microsoft.AspNetCore.Authorization;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>
/// Puts the key requirement (X-API-Key or Bearer) on each operation that needs one, not on health, and says which
/// scope it needs, read from the endpoint's own authorization policies. <see cref="ResponsesDocumentProcessor"/>
/// adds the 401/403/429 answers to these operations.
/// </summary>
public sealed class SecurityOperationProcessor : IOperationProcessor
{
    private static readonly Dictionary<string, string> ScopeOf = new()
    {
        [Policies.Submit] = Scopes.Submit,
        [Policies.Read] = Scopes.Read,
        [Policies.Admin] = Scopes.Admin,
    };

    public bool Process(OperationProcessorContext context)
    {
        var metadata = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return true;
        }

        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Select(p => ScopeOf.GetValueOrDefault(p))
            .OfType<string>().Distinct().ToList();
        var operation = context.OperationDescription.Operation;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [ApiDocument.ApiKeyScheme] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [ApiDocument.BearerScheme] = [] });

        var needs = scopes.Count == 0 ? "Needs an API key." : $"Needs an API key with the {string.Join(" and ", scopes)} scope (or admin).";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? needs : operation.Description + "\n\n" + needs;
        return true;
    }
}
