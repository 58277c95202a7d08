using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence.Configuration;

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

    // Rules across fields write their own message; the settings it does not name yet are put in front.
    private string Message(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        var unnamed = result.MemberNames
            .Select(m => (Member: m, Key: $"{sectionName}:{m}"))
            .Where(m => !message.Contains(EnvironmentMapping.VariableFor(m.Key) ?? m.Member, StringComparison.Ordinal))
            .Select(m => EnvironmentMapping.DisplayName(m.Key))
            .ToList();
        return unnamed.Count == 0 ? message : $"{string.Join(", ", unnamed)}: {message}";
    }
}
