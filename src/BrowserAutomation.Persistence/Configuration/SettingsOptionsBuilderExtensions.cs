using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence.Configuration;

public static class SettingsOptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options to their configuration section and checks them when the host starts, every error naming
    /// the environment variable of the setting (see <see cref="EnvironmentMapping"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        builder.Configure<IConfiguration>((options, configuration) => SettingsBinder.Bind(configuration, sectionName, options));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(sectionName)));
        return builder.ValidateOnStart();
    }
}
