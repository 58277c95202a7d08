using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Hosting;

public static class SettingsOptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options to their configuration section (the host's <see cref="IConfiguration"/>) and checks them when
    /// the host starts, every error naming the environment variable of the setting (see <see cref="EnvironmentMapping"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<IConfiguration>((options, configuration) => SettingsBinder.Bind(configuration, sectionName, options));
        return builder.ValidateSettings(sectionName);
    }

    /// <summary>The same, from the given configuration rather than the host's.</summary>
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName, IConfiguration configuration)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure(options => SettingsBinder.Bind(configuration, sectionName, options));
        return builder.ValidateSettings(sectionName);
    }

    private static OptionsBuilder<TOptions> ValidateSettings<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(sectionName)));
        return builder.ValidateOnStart();
    }
}
