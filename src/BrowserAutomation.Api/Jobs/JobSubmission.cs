using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using BrowserAutomation.Persistence.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Api.Jobs;

/// <summary>The outcome of a submission.</summary>
public abstract record SubmissionResult
{
    /// <summary>The job exists: new, or the earlier one for a repeated idempotency key.</summary>
    public sealed record Accepted(AutomationJob Job, bool Created) : SubmissionResult;

    /// <summary>Nothing was created: field errors (400).</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : SubmissionResult;

    /// <summary>The idempotency key was used before with a different body (409/422).</summary>
    public sealed record KeyConflict(Guid ExistingJobId) : SubmissionResult;

    /// <summary>Nothing was created: this deployment does not serve the browser type's engine at all (SERVED_ENGINES; 422).</summary>
    public sealed record NoLiveWorker(int BrowserTypeId, string BrowserTypeName, string Engine) : SubmissionResult
    {
        public string Message =>
            $"This deployment does not serve the {Engine} engine that browser type {BrowserTypeId} ({BrowserTypeName}) needs, so the job could never run. "
            + "Add " + Engine + " to SERVED_ENGINES and run workers with WORKER_ENGINES including it, or choose a browser type whose engine is served (see GET /api/v1/browsers).";
    }

    /// <summary>Nothing was created: the browser type was deactivated by an administrator (422).</summary>
    public sealed record BrowserTypeInactive(int BrowserTypeId, string BrowserTypeName) : SubmissionResult
    {
        public string Message =>
            $"Browser type {BrowserTypeId} ({BrowserTypeName}) is deactivated and takes no new jobs; choose an active one (see GET /api/v1/browsers).";
    }

    /// <summary>Nothing was created: the owner already has its maximum of pending + processing jobs (429).</summary>
    public sealed record TooManyActiveJobs(string Owner, int Limit) : SubmissionResult
    {
        public string Message =>
            $"The owner {Owner} already has {Limit} pending or processing jobs, the most this API key allows (max concurrent jobs: {Limit}). "
            + "Submit again when some have finished.";
    }

    /// <summary>Nothing was created: the engine's backlog of pending jobs is at its bound (503).</summary>
    public sealed record QueueFull(string Engine, int Limit) : SubmissionResult
    {
        public string Message =>
            $"The {Engine} engine already has {Limit} pending jobs (QUEUE_MAX_DEPTH_PER_ENGINE = {Limit}); submit again shortly.";
    }
}

/// <summary>
/// Creates a job exactly the same way for REST, the batch endpoint and the bus: validate, store the row and its first
/// <see cref="JobRequested"/> through the outbox of the given publish endpoint, in one transaction (the caller's, if it
/// has one) that also holds the owner's quota lock.
/// </summary>
public sealed class JobSubmission(AutomationDbContext db, IOptions<Persistence.Configuration.JobLifecycleOptions> lifecycle,
    IOptions<SubmissionLimitsOptions> limits, IOptions<ServedEnginesOptions> served, JobSecrets secrets, UrlPolicy urlPolicy, Webhooks.WebhookTargets webhooks,
    ResultCache cache, LookupCache lookups, QuotaGate quotas, IntakeGroupCommit groupCommit, ILogger<JobSubmission> logger)
{
    /// <summary>Whether the evaluate action (arbitrary JavaScript in the page) is allowed (EVALUATE_ENABLED, Jobs:EvaluateEnabled).</summary>
    public bool EvaluateEnabled => lifecycle.Value.EvaluateEnabled;

    /// <summary>
    /// A REST or action-endpoint submission: the job belongs to the caller's owner (whatever the body says), and the
    /// owner's active-job cap and the engine's backlog bound apply.
    /// </summary>
    public Task<SubmissionResult> SubmitAsync(SubmitJob request, IPublishEndpoint publish, Caller caller, CancellationToken cancellationToken) =>
        SubmitAsync(request with { Owner = caller.Owner }, publish, CapFor(caller), limits.Value.QueueMaxDepthPerEngine,
            Webhooks.WebhookTargets.SignerFor(caller), "rest", cancellationToken);

    /// <summary>
    /// A bus submission, owned by the command's owner (default "bus"): the same cap as that owner's API keys (the largest
    /// per-key override among its live keys, else MAX_CONCURRENT_JOBS_PER_KEY) and the engine's backlog bound.
    /// </summary>
    public async Task<SubmissionResult> SubmitAsync(SubmitJob request, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var owner = request.Owner ?? SubmitJob.DefaultBusOwner;
        return await SubmitAsync(request with { Owner = owner }, publish, await OwnerCapAsync(owner, cancellationToken),
            limits.Value.QueueMaxDepthPerEngine, Persistence.Webhooks.WebhookKey.BusSigner, "bus", cancellationToken);
    }

    /// <summary>The caller's cap of pending + processing jobs: its key's own, or MAX_CONCURRENT_JOBS_PER_KEY.</summary>
    public int CapFor(Caller caller) => caller.MaxConcurrentJobs ?? limits.Value.MaxConcurrentJobsPerKey;

    /// <summary>The engines' backlog bound (QUEUE_MAX_DEPTH_PER_ENGINE).</summary>
    public int QueueMaxDepth => limits.Value.QueueMaxDepthPerEngine;

    private async Task<int> OwnerCapAsync(string owner, CancellationToken cancellationToken) =>
        owner.Length is 0 or > 100
            ? limits.Value.MaxConcurrentJobsPerKey
            : await db.ApiKeys.Where(k => k.Owner == owner && k.RevokedAt == null).MaxAsync(k => k.MaxConcurrentJobs, cancellationToken)
              ?? limits.Value.MaxConcurrentJobsPerKey;

    private async Task<SubmissionResult> SubmitAsync(SubmitJob request, IPublishEndpoint publish, int? maxActiveJobs, int? maxQueueDepth,
        string webhookSigner, string source, CancellationToken cancellationToken)
    {
        var (refused, prepared) = await PrepareAsync(request, webhookSigner, checkIdempotencyKey: true, cancellationToken);
        if (prepared is null)
        {
            return refused!;
        }

        var job = prepared.Job;
        var owner = job.Owner;
        using var logScope = logger.BeginJobScope(job.Id, job.Attempt, job.Engine);
        // Not inside someone else's transaction (a bus consume): stored in the owner's next group commit.
        if (db.Database.CurrentTransaction is null && await groupCommit.SubmitAsync(prepared, maxActiveJobs, maxQueueDepth) is { } grouped)
        {
            if (grouped is SubmissionResult.Accepted)
            {
                Accepted(job);
            }
            else
            {
                CountRefusal(grouped, source, 1);
            }

            return grouped;
        }

        // The cap is checked and the job inserted under a per-owner lock, so parallel submissions cannot overshoot it.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            // A failed save ends this transaction (rolled back below or on dispose), so EF Core's savepoint around the save
            // would only add two round trips inside the owner's lock.
            db.Database.AutoSavepointsEnabled = false;
        }

        if (prepared.Original is null && await quotas.CheckAsync(owner, maxActiveJobs, 1, new Dictionary<string, int> { [job.Engine] = 1 },
                maxQueueDepth, cancellationToken) is { } over)
        {
            CountRefusal(over, source, 1);
            return over;
        }

        await StageAsync(prepared, publish, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && request.IdempotencyKey is not null)
        {
            // Two submissions with one key raced; the other one won.
            db.ChangeTracker.Clear();
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            return await FindByKeyAsync(owner, request.IdempotencyKey, job.RequestHash!, cancellationToken)
                   ?? throw new InvalidOperationException("Idempotency key conflict without a stored job", e);
        }

        Accepted(job);
        return new SubmissionResult.Accepted(job, Created: true);
    }

    /// <summary>Counts a quota refusal by reason and transport.</summary>
    public static void CountRefusal(SubmissionResult result, string source, int jobs)
    {
        if (result is SubmissionResult.TooManyActiveJobs)
        {
            IntakeMetrics.Rejected(IntakeMetrics.TooManyActiveJobs, source, jobs);
        }
        else if (result is SubmissionResult.QueueFull)
        {
            IntakeMetrics.Rejected(IntakeMetrics.QueueFull, source, jobs);
        }
    }

    /// <summary>
    /// Whether a save failed on a unique index (an idempotency key another submission took meanwhile): through
    /// SaveChanges it is wrapped in a <see cref="DbUpdateException"/>, through the bulk writer's COPY it is not.
    /// </summary>
    public static bool IsUniqueViolation(Exception e) =>
        (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.UniqueViolation;

    /// <summary>After the commit: the log line and the metric.</summary>
    public void Accepted(AutomationJob job)
    {
        logger.LogInformation("Job {JobId} accepted: {ActionType} on {Engine} for {Owner}", job.Id, job.ActionType, job.Engine, job.Owner);
        AutomationMetrics.JobSubmitted(job.Engine, job.ActionType);
    }

    /// <summary>Adds the prepared job, its first log line, its webhook and its first message (an outbox row) to the context.</summary>
    public async Task StageAsync(PreparedJob prepared, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var job = prepared.Job;
        db.Jobs.Add(job);
        db.JobLogs.Add(new JobLog { JobId = job.Id, Level = "info", Message = "Job accepted", CreatedAt = job.CreatedAt });
        if (prepared.Webhook is { } webhook)
        {
            webhook.JobId = job.Id;
            db.Add(webhook);
        }

        // The publish becomes an outbox row that commits with the job row, or neither does.
        if (prepared.Original is null)
        {
            await publish.PublishJobRequested(JobRequests.ForCurrentAttempt(job), cancellationToken);
            await JobDeadlines.ScheduleAsync(publish, job, cancellationToken);
        }
        else
        {
            await cache.CompleteFromAsync(job, prepared.Original, publish, cancellationToken);
        }
    }

    /// <summary>
    /// Everything a submission decides before it stores anything: validation, the webhook, an idempotent replay (when
    /// <paramref name="checkIdempotencyKey"/>), the browser type and what its engine can do, a result-cache answer and
    /// the job row itself. Either a refusal (or replay), or the job to store.
    /// </summary>
    public async Task<(SubmissionResult? Outcome, PreparedJob? Job)> PrepareAsync(SubmitJob request, string webhookSigner, bool checkIdempotencyKey,
        CancellationToken cancellationToken)
    {
        var owner = request.Owner!;
        if (owner.Length is 0 or > 100)
        {
            return (new SubmissionResult.Invalid(new Dictionary<string, string[]> { ["owner"] = ["owner is 1 to 100 characters."] }), null);
        }

        var (spec, errors) = JobRequestValidator.Validate(
            request with { MaxRetries = request.MaxRetries ?? lifecycle.Value.MaxRetries }, EvaluateEnabled, lifecycle.Value.DefaultTimeoutMs,
            new JobRequestValidator.JobLimits(lifecycle.Value.MaxActionsPerJob, lifecycle.Value.MaxTimeoutMs), urlPolicy);
        var webhook = await webhooks.ForJobAsync(request.Webhook, webhookSigner, errors, cancellationToken);
        ResultCache.Validate(request.Cache, errors);
        if (spec is null || errors.Count > 0)
        {
            return (new SubmissionResult.Invalid(errors), null);
        }

        var hash = request.IdempotencyKey is null ? null : RequestHash(request);
        // A replay is answered even when the owner is at its cap: it creates nothing.
        if (checkIdempotencyKey && request.IdempotencyKey is not null && await FindByKeyAsync(owner, request.IdempotencyKey, hash!, cancellationToken) is { } earlier)
        {
            return (earlier, null);
        }

        var browserType = await lookups.BrowserTypeAsync(spec.BrowserTypeId,
            () => db.BrowserTypes.AsNoTracking().SingleOrDefaultAsync(b => b.Id == spec.BrowserTypeId, cancellationToken));
        if (browserType is null)
        {
            return (new SubmissionResult.Invalid(new Dictionary<string, string[]>
            {
                ["browserTypeId"] = [$"Browser type {spec.BrowserTypeId} does not exist (see GET /api/v1/browsers)."],
            }), null);
        }

        if (!browserType.IsActive)
        {
            return (new SubmissionResult.BrowserTypeInactive(browserType.Id, browserType.Name), null);
        }

        var context = spec.Options;
        // A device descriptor brings its own viewport; the browser type's nominal size must not override it.
        var deviceEmulated = context?.Device is not null || browserType.DeviceDescriptor is not null;
        var viewport = spec.Viewport
                       ?? (!deviceEmulated && browserType is { ViewportWidth: { } w, ViewportHeight: { } h } ? new Viewport(w, h) : null);
        if (browserType.DeviceDescriptor is { } device && context?.Device is null)
        {
            context = (context ?? new JobOptions()) with { Device = device };
        }

        // What the engine cannot do is a bad request, named by step and field, not a job that fails later.
        if (EngineCapabilities.Check(browserType.Type, context, spec.Actions) is { Count: > 0 } problems)
        {
            return (new SubmissionResult.Invalid(problems
                .GroupBy(p => p.Path == "options.device" && spec.Options?.Device is null ? "browserTypeId" : Translate(p.Path, request))
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())), null);
        }

        var userAgent = spec.UserAgent ?? browserType.UserAgent;
        var resultKey = ResultCache.Key(owner, browserType.Id, spec, viewport, userAgent, context);
        // A cached answer runs nothing, so neither the served engines nor the quotas below apply to it. Admission is
        // by configuration, not heartbeats: a served engine's job waits in its durable queue while workers restart.
        var original = request.Cache?.MaxAgeSeconds is { } maxAge ? await cache.FindAsync(owner, resultKey, maxAge, cancellationToken) : null;
        if (original is null && !served.Value.Serves(browserType.Type))
        {
            return (new SubmissionResult.NoLiveWorker(browserType.Id, browserType.Name, browserType.Type), null);
        }

        var job = new AutomationJob
        {
            Id = NewId.NextSequentialGuid(),
            Owner = owner,
            BrowserTypeId = browserType.Id,
            Engine = browserType.Type,
            ActionType = spec.ActionType,
            TargetUrl = spec.TargetUrl,
            // Form values, cookies, credentials and header values are stored (and published) only encrypted.
            Actions = JsonSerializer.Serialize(secrets.Protect(spec.Actions), JobRequests.Json),
            Options = JsonSerializer.Serialize(new StoredJobOptions
            {
                Viewport = viewport,
                UserAgent = userAgent,
                DeviceType = browserType.DeviceType,
                Context = secrets.Protect(context),
            }, JobRequests.Json),
            WaitUntil = spec.WaitUntil,
            Priority = spec.Priority,
            TimeoutMs = spec.TimeoutMs,
            MaxRetries = spec.MaxRetries,
            StartBy = spec.StartBy,
            ExpiresAt = spec.ExpiresAt,
            CurrentState = JobStates.Pending,
            Attempt = 1,
            CreatedAt = DateTime.UtcNow,
            ClientReference = request.ClientReference,
            IdempotencyKey = request.IdempotencyKey,
            RequestHash = hash,
            // The job's trace is the one it was created in: the POST's server span, or the SubmitJob consume.
            TraceParent = AutomationSpans.CurrentTraceParent(),
            TraceId = AutomationSpans.CurrentTraceId(),
            ResultKey = resultKey,
            HasWebhook = webhook is not null,
        };
        return (null, new PreparedJob(job, webhook, original));
    }

    /// <summary>Idempotency keys are per owner: another owner's job with the same key is neither found nor a conflict.</summary>
    private async Task<SubmissionResult?> FindByKeyAsync(string owner, string key, string hash, CancellationToken cancellationToken)
    {
        var existing = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Owner == owner && j.IdempotencyKey == key, cancellationToken);
        if (existing is null)
        {
            return null;
        }

        return Replay(existing, hash);
    }

    /// <summary>The answer for a stored job with the same idempotency key: a replay for the same body, else a conflict.</summary>
    public static SubmissionResult Replay(AutomationJob existing, string hash) =>
        existing.RequestHash == hash
            ? new SubmissionResult.Accepted(existing, Created: false)
            : new SubmissionResult.KeyConflict(existing.Id);

    /// <summary>For the single-action screenshot and pdf forms, the one step's field (actions[0].omitBackground) is the payload's own.</summary>
    private static string Translate(string path, SubmitJob request)
    {
        if (request.ActionType?.Trim().ToLowerInvariant() is not ("screenshot" or "pdf") || !path.StartsWith("actions[0].", StringComparison.Ordinal))
        {
            return path;
        }

        var field = path["actions[0].".Length..];
        return field == "action" ? "actionType" : "payload." + field;
    }

    /// <summary>The body's fingerprint for idempotency: the request without the key, the reference and the owner.</summary>
    public static string RequestHash(SubmitJob request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(
            request with { IdempotencyKey = null, ClientReference = null, Owner = null }, JobRequests.Json))));
}
