using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Hosting;

/// <summary>
/// The data annotations and <see cref="IValidatableObject"/> rules of an options class, with every message naming
/// the environment variable that sets the value ("WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs) must be
/// between 1 and 100, not 0."), so a deployment's mistake can be fixed from the start-up error alone.
/// </summary>
public sealed class SettingsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attributes = property.GetCustomAttributes<ValidationAttribute>().ToList();
            if (attributes.Count == 0)
            {
                continue;
            }

            var setting = EnvironmentMapping.DisplayName($"{sectionName}:{property.Name}");
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = setting };
            foreach (var attribute in attributes.Where(a => a.GetValidationResult(value, context) != ValidationResult.Success))
            {
                failures.Add(Message(attribute, setting, value));
            }
        }

        if (options is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(options)))
            {
                failures.Add(Message(result));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(ValidationAttribute attribute, string setting, object? value) => attribute switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {range.Minimum} and {range.Maximum}, not {value}."),
        RequiredAttribute => $"{setting} is required.",
        _ => attribute.FormatErrorMessage(setting),
    };

    // Rules across fields write their own message. A setting it names by key alone ("UrlPolicy:AllowedHosts", as a
    // library without the mapping does) gets its variable added; one it does not name at all is put in front.
    private string Message(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        var unnamed = new List<string>();
        foreach (var member in result.MemberNames)
        {
            var key = $"{sectionName}:{member}";
            var variable = EnvironmentMapping.VariableFor(key);
            if (message.Contains(variable ?? member, StringComparison.Ordinal))
            {
                continue;
            }

            if (message.Contains(key, StringComparison.Ordinal))
            {
                message = message.Replace(key, EnvironmentMapping.DisplayName(key), StringComparison.Ordinal);
            }
            else
            {
                unnamed.Add(EnvironmentMapping.DisplayName(key));
            }
        }

        return unnamed.Count == 0 ? message : $"{string.Join(", ", unnamed)}: {message}";
    }
}
