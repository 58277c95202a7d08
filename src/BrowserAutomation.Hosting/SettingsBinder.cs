using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Hosting;

/// <summary>
/// Binds an options section property by property, each value read through <see cref="EnvironmentMapping"/> (so the
/// deployment's variable applies whether or not the host added a mapped layer), and a value that does not parse is
/// reported under its environment variable ("WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs) must be an integer,
/// not 'four'") instead of the configuration binder's type-conversion exception. Booleans also accept 1 and 0. Lists of
/// strings take comma-separated values as well as indexed entries.
/// </summary>
public static class SettingsBinder
{
    public static void Bind<TOptions>(IConfiguration configuration, string sectionName, TOptions options)
        where TOptions : class
    {
        var errors = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            var key = $"{sectionName}:{property.Name}";
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsStringList(type))
            {
                if (EnvironmentMapping.ReadList(configuration, key) is { Count: > 0 } entries)
                {
                    property.SetValue(options, entries.ToList());
                }

                continue;
            }

            if (!IsScalar(type))
            {
                // Nested objects are left to the configuration binder.
                if (configuration.GetSection(key).Get(property.PropertyType) is { } bound)
                {
                    property.SetValue(options, bound);
                }

                continue;
            }

            if (EnvironmentMapping.Read(configuration, key) is not { } raw || (raw.Length == 0 && type != typeof(string)))
            {
                continue;
            }

            if (TryConvert(raw, type, out var value))
            {
                property.SetValue(options, value);
            }
            else
            {
                errors.Add($"{EnvironmentMapping.DisplayName(key)} must be {Expected(type)}, not '{raw}'.");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), errors);
        }
    }

    private static bool IsStringList(Type type) => type != typeof(string) && type.IsAssignableFrom(typeof(List<string>));

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan);

    private static bool TryConvert(string raw, Type type, out object? value)
    {
        var text = raw.Trim();
        value = null;
        if (type == typeof(string))
        {
            value = raw;
        }
        else if (type == typeof(bool))
        {
            value = text switch
            {
                "1" => true,
                "0" => false,
                _ when bool.TryParse(text, out var parsed) => parsed,
                _ => null,
            };
        }
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
        }
        else if (type == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
        }
        else if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = d;
        }
        else if (type == typeof(TimeSpan) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t))
        {
            value = t;
        }
        else if (type.IsEnum && Enum.TryParse(type, text, ignoreCase: true, out var e))
        {
            value = e;
        }

        return value is not null;
    }

    private static string Expected(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(double) ? "a number"
        : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : $"a {type.Name}";
}
