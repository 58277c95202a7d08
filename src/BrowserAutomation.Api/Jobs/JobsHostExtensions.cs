using BrowserAutomation.Hosting;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Jobs;

public static class JobsHostExtensions
{
    /// <summary>
    /// Submitting and cancelling jobs: the submission quotas (MAX_CONCURRENT_JOBS_PER_KEY, QUEUE_MAX_DEPTH_PER_ENGINE) and
    /// the same URL policy as the worker's (URL_*), so a submission with a refused URL is 400 before anything is stored.
    /// </summary>
    public static IHostApplicationBuilder AddJobSubmission(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UrlPolicyOptions>().BindSettings(UrlPolicyOptions.SectionName);
        builder.Services.AddSingleton(static sp => new UrlPolicy(sp.GetRequiredService<IOptions<UrlPolicyOptions>>().Value));
        builder.Services.AddOptions<SubmissionLimitsOptions>().BindSettings(SubmissionLimitsOptions.SectionName);
        builder.Services.AddScoped<JobSubmission>();
        builder.Services.AddScoped<QuotaGate>();
        builder.Services.AddSingleton<IntakeGroupCommit>();
        builder.Services.AddScoped<JobBatchSubmission>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ResultCache>();
        builder.Services.AddScoped<JobCancellation>();
        return builder;
    }
}
