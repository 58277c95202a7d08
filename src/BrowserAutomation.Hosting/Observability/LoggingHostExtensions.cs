using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Hosting.Observability;

public static class LoggingHostExtensions
{
    /// <summary>
    /// LOG_LEVEL (the default level) and LOG_FORMAT (text or json lines on the console), both checked here so a bad
    /// value stops the process before the first line is logged; scopes carry the current activity's trace and span ids.
    /// </summary>
    public static IHostApplicationBuilder AddAutomationLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var output = Load<LogOutputOptions>(builder.Configuration, LogOutputOptions.SectionName);
        if (Load<LogLevelOptions>(builder.Configuration, LogLevelOptions.SectionName).Level is { } level)
        {
            // Written back by .NET's name: the logging framework itself does not know "info" or "warn".
            builder.Configuration.AddInMemoryCollection([new($"{LogLevelOptions.SectionName}:Default", level.ToString())]);
        }

        builder.Services.AddOptions<LogOutputOptions>().BindSettings(LogOutputOptions.SectionName);
        builder.Logging.Configure(static options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (output.Format == LogFormat.Json)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter>(new JsonLinesConsoleFormatter(serviceName)));
            builder.Services.Configure<ConsoleLoggerOptions>(static options => options.FormatterName = JsonLinesConsoleFormatter.FormatterName);
        }

        return builder;
    }

    /// <summary>
    /// Binds and checks settings right away: the logger is configured while the host is built, before the start-up
    /// validation of options runs (and the framework would reject a level it cannot read without naming LOG_LEVEL).
    /// </summary>
    /// <exception cref="OptionsValidationException">A bad value, named by its environment variable.</exception>
    internal static TOptions Load<TOptions>(IConfiguration configuration, string sectionName)
        where TOptions : class, new()
    {
        var options = new TOptions();
        SettingsBinder.Bind(configuration, sectionName, options);
        var result = new SettingsValidator<TOptions>(sectionName).Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }

        return options;
    }
}
