using System.Security.Claims;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>A job's webhook deliveries (tenant-scoped like the job), redelivery, signing secrets and keys' default webhooks.</summary>
public static class WebhooksEndpoints
{
    public static IEndpointRouteBuilder MapWebhooksEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/jobs").WithTags("Webhooks").RequireAuthorization(Policies.Read);
        var submit = app.MapGroup("/api/v1").WithTags("Webhooks").RequireAuthorization(Policies.Submit);
        var admin = app.MapGroup("/api/v1/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);

        read.MapGet("/{jobId:guid}/webhooks", ListDeliveries).WithName("ListJobWebhooks")
            .WithSummary("The job's webhook deliveries: event, receiver, pending/delivered/dead, attempts, last status code or error.");
        submit.MapPost("/jobs/{jobId:guid}/webhooks/{deliveryId:guid}/redeliver", Redeliver).WithName("RedeliverJobWebhook")
            .WithSummary("Queue a delivered or dead webhook again, with the same webhook-id and body; 409 while it is still pending.");
        submit.MapPost("/webhook-secret", RotateOwnSecret).WithName("RotateWebhookSecret")
            .WithSummary("A new webhook signing secret for the calling key (shown once); the previous one stops signing at once.");
        admin.MapPost("/{id:guid}/webhook-secret", RotateKeySecret).WithName("RotateApiKeyWebhookSecret")
            .WithSummary("A new webhook signing secret for a key (shown once); the previous one stops signing at once.");
        admin.MapPut("/{id:guid}/webhook", SetKeyWebhook).WithName("SetApiKeyWebhook")
            .WithSummary("Set a key's default webhook, used by its jobs that name none (the URL policy applies).");
        admin.MapDelete("/{id:guid}/webhook", ClearKeyWebhook).WithName("ClearApiKeyWebhook")
            .WithSummary("Remove a key's default webhook.");
        return app;
    }

    public static async Task<Results<Ok<WebhookDeliveryListResponse>, ProblemHttpResult>> ListDeliveries(Guid jobId, AutomationDbContext db,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.VisibleTo(user.GetCaller()).AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return JobProblems.NotFound(jobId);
        }

        var rows = await db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.JobId == jobId)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookDeliveryListResponse(rows.Select(WebhookDeliveryResponse.From).ToList()));
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, Conflict<WebhookDeliveryResponse>, ProblemHttpResult>> Redeliver(
        Guid jobId, Guid deliveryId, AutomationDbContext db, WebhookSignal signal, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.VisibleTo(user.GetCaller()).AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return JobProblems.NotFound(jobId);
        }

        var now = DateTime.UtcNow;
        var requeued = await db.Set<WebhookDelivery>()
            .Where(d => d.Id == deliveryId && d.JobId == jobId && d.Status != WebhookDelivery.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDelivery.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.QueuedAt, now), cancellationToken);
        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId && d.JobId == jobId, cancellationToken);
        if (delivery is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Webhook delivery not found",
                detail: $"Job {jobId} has no webhook delivery {deliveryId}.");
        }

        if (requeued == 0)
        {
            return TypedResults.Conflict(WebhookDeliveryResponse.From(delivery));
        }

        signal.Notify();
        return TypedResults.Accepted($"/api/v1/jobs/{jobId}/webhooks", WebhookDeliveryResponse.From(delivery));
    }

    public static async Task<Ok<WebhookSecretResponse>> RotateOwnSecret(WebhookKeys keys, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var signer = WebhookTargets.SignerFor(user.GetCaller());
        return TypedResults.Ok(new WebhookSecretResponse(await keys.RotateAsync(signer, cancellationToken), signer));
    }

    public static async Task<Results<Ok<WebhookSecretResponse>, ProblemHttpResult>> RotateKeySecret(Guid id, AutomationDbContext db, WebhookKeys keys,
        CancellationToken cancellationToken)
    {
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KeyNotFound(id);
        }

        return TypedResults.Ok(new WebhookSecretResponse(await keys.RotateAsync(id.ToString(), cancellationToken), id.ToString()));
    }

    public static async Task<Results<Ok<KeyWebhookResponse>, ValidationProblem, ProblemHttpResult>> SetKeyWebhook(Guid id, WebhookSubscription request,
        AutomationDbContext db, WebhookKeys keys, UrlPolicy policy, CancellationToken cancellationToken)
    {
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KeyNotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        if (WebhookTargets.Validate(request, policy, "webhook", errors) is not { } webhook)
        {
            return TypedResults.ValidationProblem(errors, title: "The webhook is invalid.");
        }

        await keys.SetDefaultAsync(id.ToString(), webhook.Url, webhook.Events, cancellationToken);
        return TypedResults.Ok(new KeyWebhookResponse(id, webhook.Url, webhook.Events));
    }

    public static async Task<Results<Ok<KeyWebhookResponse>, ProblemHttpResult>> ClearKeyWebhook(Guid id, AutomationDbContext db, WebhookKeys keys,
        CancellationToken cancellationToken)
    {
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KeyNotFound(id);
        }

        await keys.SetDefaultAsync(id.ToString(), null, null, cancellationToken);
        return TypedResults.Ok(new KeyWebhookResponse(id, null, null));
    }

    private static ProblemHttpResult KeyNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: $"No API key with id {id}.");
}
