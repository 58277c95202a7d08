using System.Collections;
using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// Checks built-in objects against the official C# client's models: strict deserialization (an unknown or misplaced
/// field is an error, a value of the wrong type too), then the fields the Kubernetes API requires must be set, at any
/// depth. The models carry no marker of required fields, so those of the types these manifests use are listed here,
/// from the Kubernetes OpenAPI document; a type missing from the list has no required field checked.
/// </summary>
public static class KubernetesSchema
{
    private static readonly Dictionary<string, Type> Types = typeof(V1Deployment).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(e => e.Entity is { Kind.Length: > 0 } && !e.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(e => Key(string.IsNullOrEmpty(e.Entity!.Group) ? e.Entity.ApiVersion : $"{e.Entity.Group}/{e.Entity.ApiVersion}", e.Entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    private static readonly MethodInfo Deserialize = typeof(KubernetesYaml).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.IsGenericMethodDefinition
            && m.GetParameters() is [{ ParameterType: var p }, { ParameterType: var s }] && p == typeof(string) && s == typeof(bool));

    private static readonly Dictionary<Type, string[]> RequiredFields = new()
    {
        [typeof(V1DeploymentSpec)] = ["Selector", "Template"],
        [typeof(V1JobSpec)] = ["Template"],
        [typeof(V1PodSpec)] = ["Containers"],
        [typeof(V1Container)] = ["Name"],
        [typeof(V1ContainerPort)] = ["ContainerPort"],
        [typeof(V1EnvVar)] = ["Name"],
        [typeof(V1SecretKeySelector)] = ["Key"],
        [typeof(V1ConfigMapKeySelector)] = ["Key"],
        [typeof(V1HTTPGetAction)] = ["Port"],
        [typeof(V1SleepAction)] = ["Seconds"],
        [typeof(V1Volume)] = ["Name"],
        [typeof(V1VolumeMount)] = ["Name", "MountPath"],
        [typeof(V1ServicePort)] = ["Port"],
        [typeof(V1IPBlock)] = ["Cidr"],
        [typeof(V1LabelSelectorRequirement)] = ["Key", "OperatorProperty"],
        [typeof(V1SeccompProfile)] = ["Type"],
    };

    public static bool Knows(string apiVersion, string kind) => Types.ContainsKey(Key(apiVersion, kind));

    /// <summary>The problems of one object (empty when it is valid); the object itself when it deserialized.</summary>
    public static (IReadOnlyList<string> Problems, object? Model) Check(Dictionary<string, object?> item)
    {
        var id = Manifests.Id(item);
        if (!Types.TryGetValue(Key(Manifests.Text(item, "apiVersion") ?? string.Empty, Manifests.Text(item, "kind") ?? string.Empty), out var type))
        {
            return ([$"{id}: unknown apiVersion/kind {Manifests.Text(item, "apiVersion")}/{Manifests.Text(item, "kind")}"], null);
        }

        object? model;
        try
        {
            model = Deserialize.MakeGenericMethod(type).Invoke(null, [KustomizeRenderer.ToYaml(item), true]);
        }
        catch (TargetInvocationException e)
        {
            return ([$"{id}: does not match {type.Name}: {Innermost(e).Message}"], null);
        }

        var problems = new List<string>();
        Required(model, id, problems, 0);
        return (problems, model);
    }

    private static void Required(object? value, string path, List<string> problems, int depth)
    {
        if (value is null || depth > 40 || value is string || value.GetType().IsPrimitive || value is IntOrString or ResourceQuantity)
        {
            return;
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                Required(entry.Value, $"{path}.{entry.Key}", problems, depth + 1);
            }

            return;
        }

        if (value is IEnumerable list)
        {
            var i = 0;
            foreach (var entry in list)
            {
                Required(entry, $"{path}[{i++}]", problems, depth + 1);
            }

            return;
        }

        var type = value.GetType();
        if (type.Namespace != typeof(V1Deployment).Namespace)
        {
            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var required in RequiredFields.GetValueOrDefault(type) ?? [])
        {
            if (properties.Single(p => p.Name == required).GetValue(value) is null)
            {
                problems.Add($"{path}: required field '{JsonNamingPolicy.CamelCase.ConvertName(required.Replace("Property", string.Empty, StringComparison.Ordinal))}' of {type.Name} is missing");
            }
        }

        foreach (var property in properties.Where(p => p.GetIndexParameters().Length == 0))
        {
            Required(property.GetValue(value), $"{path}.{property.Name}", problems, depth + 1);
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private static string Key(string apiVersion, string kind) => $"{apiVersion}|{kind}";
}
