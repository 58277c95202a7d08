using System.Text.RegularExpressions;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// A small validator for the subset of OpenAPI v3 schemas that CRDs use (type, required, properties,
/// additionalProperties, items, minItems, enum, pattern, minimum, $ref to a named schema), over manifests read as
/// strings, maps and lists. Schemas live in keda-schema.yaml.
/// </summary>
public sealed class CrdSchema(Dictionary<string, object?> schemas)
{
    public static CrdSchema Load(string path) => new(Manifests.ParseDocuments(File.ReadAllText(path)).Single());

    public bool Has(string kind) => schemas.ContainsKey(kind);

    public IReadOnlyList<string> Check(string kind, Dictionary<string, object?> item)
    {
        var problems = new List<string>();
        Check((Dictionary<string, object?>)schemas[kind]!, item, Manifests.Id(item), problems);
        return problems;
    }

    private void Check(Dictionary<string, object?> schema, object? value, string path, List<string> problems)
    {
        if (Manifests.Text(schema, "$ref") is { } reference)
        {
            Check((Dictionary<string, object?>)schemas[reference]!, value, path, problems);
            return;
        }

        switch (Manifests.Text(schema, "type"))
        {
            case "object" when value is Dictionary<string, object?> map:
                CheckObject(schema, map, path, problems);
                break;
            case "array" when value is List<object?> list:
                if (schema.GetValueOrDefault("minItems") is long min && list.Count < min)
                {
                    problems.Add($"{path}: needs at least {min} item(s)");
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Check(Manifests.Map(schema, "items"), list[i], $"{path}[{i}]", problems);
                }

                break;
            case "string" when value is string text:
                CheckScalar(schema, text, path, problems);
                break;
            case "integer" when value is long number:
                if (schema.GetValueOrDefault("minimum") is long minimum && number < minimum)
                {
                    problems.Add($"{path}: {number} is below {minimum}");
                }

                break;
            case "boolean" when value is bool:
                break;
            case var type:
                problems.Add($"{path}: expected {type}, found {Describe(value)}");
                break;
        }
    }

    private void CheckObject(Dictionary<string, object?> schema, Dictionary<string, object?> map, string path, List<string> problems)
    {
        foreach (var required in Manifests.List(schema, "required").Cast<string>().Where(r => !map.ContainsKey(r)))
        {
            problems.Add($"{path}: required field '{required}' is missing");
        }

        var properties = Manifests.Map(schema, "properties");
        foreach (var (key, child) in map)
        {
            var childPath = $"{path}.{key}";
            if (properties.GetValueOrDefault(key) is Dictionary<string, object?> propertySchema)
            {
                Check(propertySchema, child, childPath, problems);
            }
            else if (schema.GetValueOrDefault("additionalProperties") is Dictionary<string, object?> additional)
            {
                Check(additional, child, childPath, problems);
            }
            else if (schema.GetValueOrDefault("additionalProperties") is false)
            {
                problems.Add($"{childPath}: unknown field (known: {string.Join(", ", properties.Keys)})");
            }
        }
    }

    private static void CheckScalar(Dictionary<string, object?> schema, string text, string path, List<string> problems)
    {
        var allowed = Manifests.List(schema, "enum").Cast<string>().ToList();
        if (allowed.Count > 0 && !allowed.Contains(text, StringComparer.Ordinal))
        {
            problems.Add($"{path}: '{text}' is not one of {string.Join(", ", allowed)}");
        }

        if (Manifests.Text(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{path}: '{text}' does not match {pattern}");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        Dictionary<string, object?> => "an object",
        List<object?> => "a list",
        _ => $"'{value}'",
    };
}
