using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence.Artifacts;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using BrowserAutomation.Persistence.Sagas;
using BrowserAutomation.Persistence.Security;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The database and the encryption of job secrets, as both hosts use them.</summary>
    public static IHostApplicationBuilder AddAutomationPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAutomationPersistence();
        builder.Services.AddJobSecrets();
        return builder;
    }

    /// <summary>The DbContext, its options, and the outbox commit signal.</summary>
    public static IServiceCollection AddAutomationPersistence(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindSettings(OutboxOptions.SectionName);
        services.AddArtifactStorage();
        services.AddOptions<JobLifecycleOptions>().BindSettings(JobLifecycleOptions.SectionName);
        services.AddOptions<DatabaseOptions>().BindSettings(DatabaseOptions.SectionName)
            .PostConfigure<IOptions<OutboxOptions>>((database, outbox) =>
                database.ApplicationName ??= OutboxDispatcher.ApplicationName(outbox.Value.DispatcherEnabled));
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxCommitInterceptor>();
        services.TryAddSingleton<Webhooks.WebhookSignal>();
        services.TryAddSingleton<Webhooks.WebhookEventRecorder>();
        services.TryAddSingleton<BrokenConnectionPoolReset>();

        // Pooled: a context per scope (request, delivery) is taken from a pool and reset when the scope ends, instead of
        // building a context and its internal services each time (a sixth of the API's allocations under load).
        services.AddDbContextPool<AutomationDbContext>((provider, options) =>
        {
            options.UseNpgsql(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.BuildConnectionString(),
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"));
            options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
            options.AddInterceptors(provider.GetRequiredService<OutboxCommitInterceptor>(), provider.GetRequiredService<Webhooks.WebhookEventRecorder>(),
                provider.GetRequiredService<BrokenConnectionPoolReset>());
        });

        return services;
    }

    /// <summary>
    /// MassTransit on RabbitMQ with the PostgreSQL bus outbox (publishes outside consumers become outbox rows),
    /// the outbox dispatcher, and the delayed scheduler whose delays the outbox turns into deliver_after.
    /// </summary>
    public static IServiceCollection AddAutomationBus(this IServiceCollection services,
        Action<IBusRegistrationConfigurator> registerConsumers,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configureEndpoints)
    {
        services.AddOptions<RabbitMqOptions>().BindSettings(RabbitMqOptions.SectionName);

        services.AddMassTransit(x =>
        {
            // MassTransit 8.4+ reports anonymous usage to usage-tracking.masstransit.io after start: this service makes
            // no connection its operator did not configure (and these machines have no route out).
            x.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            x.AddDelayedMessageScheduler();
            registerConsumers(x);

            x.UsingRabbitMq((context, cfg) =>
            {
                var rabbit = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true;
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                cfg.UseDelayedMessageScheduler();
                cfg.ConfigureAutomationTopology();
                configureEndpoints(context, cfg);
            });
        });

        services.AddScoped<DbContextOutbox>();
        services.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, PostgresScopedBusContextProvider>());
        services.AddScoped<IOutboxContextFactory<AutomationDbContext>, PostgresOutboxContextFactory>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }

    /// <summary>
    /// Encryption of job secrets at rest (<see cref="JobSecrets"/>); the key is required and checked at start.
    /// </summary>
    public static IServiceCollection AddJobSecrets(this IServiceCollection services)
    {
        services.AddOptions<SecretsOptions>().BindSettings(SecretsOptions.SectionName);
        services.AddSingleton<JobSecrets>();
        return services;
    }

    /// <summary>Declares jobs-chromium, jobs-firefox and jobs-webkit at start (the API does this).</summary>
    public static IServiceCollection AddEngineQueues(this IServiceCollection services) => services.AddHostedService<EngineQueueDeclarer>();

    /// <summary>Registers <see cref="Jobs.JobStateMachine"/> with the PostgreSQL saga repository on automation_jobs.</summary>
    public static void AddJobStateMachine(this IBusRegistrationConfigurator x) =>
        x.AddSagaStateMachine<Jobs.JobStateMachine, AutomationJob, JobStateDefinition>()
            .Repository(r => r.RegisterSagaRepository<AutomationJob, AutomationDbContext,
                SagaConsumeContextFactory<AutomationDbContext, AutomationJob>, PostgresSagaRepositoryContextFactory<AutomationJob>>());
}
