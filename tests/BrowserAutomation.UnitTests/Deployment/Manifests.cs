using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// Reading manifests as maps, lists and scalars typed as YAML 1.2's core schema types them (a plain 8 is a number, a
/// quoted "8" a string, plain true a boolean), so a number where Kubernetes wants a string is seen.
/// </summary>
public static partial class Manifests
{
    public static List<Dictionary<string, object?>> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).OfType<Dictionary<string, object?>>().ToList();
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Convert(p.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? string.Empty),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static object? Plain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ when IntegerPattern().IsMatch(text) => long.Parse(text, CultureInfo.InvariantCulture),
        _ when FloatPattern().IsMatch(text) => double.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static string? Text(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as string;

    public static Dictionary<string, object?> Map(Dictionary<string, object?> map, string key) =>
        map.GetValueOrDefault(key) as Dictionary<string, object?> ?? [];

    public static List<object?> List(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as List<object?> ?? [];

    /// <summary>A value at a dotted path (<c>spec.template.spec</c>), or null.</summary>
    public static object? At(Dictionary<string, object?> map, string path)
    {
        object? current = map;
        foreach (var part in path.Split('.'))
        {
            current = (current as Dictionary<string, object?>)?.GetValueOrDefault(part);
        }

        return current;
    }

    public static string Id(Dictionary<string, object?> item) => $"{Text(item, "kind")}/{Text(Map(item, "metadata"), "name")}";

    /// <summary>The pod spec of a Deployment or Job (null for other kinds).</summary>
    public static Dictionary<string, object?>? PodSpec(Dictionary<string, object?> item) =>
        Text(item, "kind") is "Deployment" or "Job" ? At(item, "spec.template.spec") as Dictionary<string, object?> : null;

    public static Dictionary<string, string> PodLabels(Dictionary<string, object?> item) =>
        StringMap(At(item, "spec.template.metadata.labels"));

    public static IEnumerable<Dictionary<string, object?>> Containers(Dictionary<string, object?> item) =>
        PodSpec(item) is { } pod
            ? List(pod, "initContainers").Concat(List(pod, "containers")).OfType<Dictionary<string, object?>>()
            : [];

    public static Dictionary<string, string> StringMap(object? value) =>
        (value as Dictionary<string, object?> ?? []).ToDictionary(p => p.Key, p => System.Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.Ordinal);
}
