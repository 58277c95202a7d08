using BrowserAutomation.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BrowserAutomation.Persistence.Jobs;

internal sealed class AutomationJobMap : IEntityTypeConfiguration<AutomationJob>
{
    // The state machine names states "Pending", "Processing"...; the column holds the wire statuses.
    private static readonly ValueConverter<string, string> StatusConverter = new(
        state => JobStates.ToStatus(state),
        status => JobStates.ToState(status));

    public void Configure(EntityTypeBuilder<AutomationJob> b)
    {
        b.ToTable("automation_jobs", t => t.HasCheckConstraint("actions_is_array", "jsonb_typeof(actions) = 'array'"));
        b.HasKey(x => x.Id);
        b.Ignore(x => x.CorrelationId);
        b.Ignore(x => x.Status);
        b.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        b.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(100).HasDefaultValue(AutomationJob.DefaultOwner).ValueGeneratedNever().IsRequired();
        b.Property(x => x.BrowserTypeId).HasColumnName("browser_type_id");
        b.HasOne(x => x.BrowserType).WithMany().HasForeignKey(x => x.BrowserTypeId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Engine).HasColumnName("engine").HasMaxLength(20).HasDefaultValue("chromium").ValueGeneratedNever();
        b.Property(x => x.TargetUrl).HasColumnName("target_url").IsRequired();
        b.Property(x => x.ActionType).HasColumnName("action_type").HasMaxLength(30).HasDefaultValue("actions").ValueGeneratedNever();
        b.Property(x => x.Actions).HasColumnName("actions").HasColumnType("jsonb").IsRequired();
        b.Property(x => x.Options).HasColumnName("options").HasColumnType("jsonb");
        b.Property(x => x.WaitUntil).HasColumnName("wait_until").HasMaxLength(20).HasDefaultValue("networkidle").ValueGeneratedNever();
        b.Property(x => x.CurrentState).HasColumnName("status").HasMaxLength(20).HasDefaultValue(JobStates.Pending).ValueGeneratedNever()
            .HasConversion(StatusConverter);
        b.Property(x => x.Priority).HasColumnName("priority").HasDefaultValue(0).ValueGeneratedNever();
        b.Property(x => x.RetryCount).HasColumnName("retry_count").HasDefaultValue(0).ValueGeneratedNever();
        b.Property(x => x.MaxRetries).HasColumnName("max_retries").HasDefaultValue(3).ValueGeneratedNever();
        b.Property(x => x.TimeoutMs).HasColumnName("timeout_ms").HasDefaultValue(30000).ValueGeneratedNever();
        b.Property(x => x.Attempt).HasColumnName("attempt").HasDefaultValue(1).ValueGeneratedNever();
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.Property(x => x.StartedAt).HasColumnName("started_at");
        b.Property(x => x.CompletedAt).HasColumnName("completed_at");
        b.Property(x => x.ErrorType).HasColumnName("error_type").HasMaxLength(40);
        b.Property(x => x.ErrorMessage).HasColumnName("error_message");
        b.Property(x => x.Result).HasColumnName("result").HasColumnType("jsonb");
        b.Property(x => x.StatusVersion).HasColumnName("status_version").HasDefaultValue(0).ValueGeneratedNever();
        b.Property(x => x.ClientReference).HasColumnName("client_reference").HasMaxLength(200);
        b.Property(x => x.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(200);
        b.Property(x => x.RequestHash).HasColumnName("request_hash").HasMaxLength(64);
        b.Property(x => x.AttemptTimeoutTokenId).HasColumnName("attempt_timeout_token_id");
        b.Property(x => x.TraceParent).HasColumnName("trace_parent").HasMaxLength(55);
        b.Property(x => x.TraceId).HasColumnName("trace_id").HasMaxLength(32);
        b.Property(x => x.ResultKey).HasColumnName("result_key").HasMaxLength(64);
        b.Property(x => x.HasWebhook).HasColumnName("has_webhook");
        b.Property(x => x.CachedFromJobId).HasColumnName("cached_from_job_id");
        b.Property(x => x.StartBy).HasColumnName("start_by");
        b.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        // The result cache: an owner's newest completed original run of the same normalised job.
        b.HasIndex(x => new { x.Owner, x.ResultKey, x.CompletedAt }).HasDatabaseName("idx_jobs_result_cache")
            .IsDescending(false, false, true).HasFilter("result_key IS NOT NULL AND status = 'completed' AND cached_from_job_id IS NULL");
        // Idempotency keys are per tenant: two owners may use the same key without meeting.
        b.HasIndex(x => new { x.Owner, x.IdempotencyKey }).IsUnique().HasDatabaseName("ux_jobs_owner_idempotency_key")
            .HasFilter("idempotency_key IS NOT NULL");
        b.HasIndex(x => new { x.Owner, x.CreatedAt }).HasDatabaseName("idx_jobs_owner_created");
        // The submission limits: an owner's active jobs, and an engine's backlog.
        b.HasIndex(x => x.Owner).HasDatabaseName("idx_jobs_owner_active").HasFilter("status IN ('pending', 'processing')");
        b.HasIndex(x => x.Engine).HasDatabaseName("idx_jobs_engine_pending").HasFilter("status = 'pending'");

        b.HasIndex(x => x.CurrentState).HasDatabaseName("idx_jobs_status");
        b.HasIndex(x => x.BrowserTypeId).HasDatabaseName("idx_jobs_browser_type");
        b.HasIndex(x => x.CreatedAt).HasDatabaseName("idx_jobs_created_at");
        b.HasIndex(x => new { x.Priority, x.CreatedAt }).HasDatabaseName("idx_jobs_priority_created")
            .IsDescending(true, false).HasFilter("status = 'pending'");
    }
}
