using YamlDotNet.Serialization;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// Renders a kustomization the way <c>kubectl kustomize</c> does for the few features infra/k8s uses: <c>resources</c>
/// (files of one or more documents, or folders holding a kustomization), <c>namespace</c> (set on every namespaced
/// object) and <c>images</c> (newName / newTag). Any other field is refused, so the manifests cannot quietly depend on a
/// feature this renderer ignores; <see cref="KubernetesManifestTests"/> compares its output with kubectl's where kubectl exists.
/// </summary>
public static class KustomizeRenderer
{
    private static readonly HashSet<string> SupportedFields = ["apiVersion", "kind", "namespace", "resources", "images"];

    // Kinds kustomize leaves without a namespace.
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass"];

    private static readonly ISerializer Writer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static List<Dictionary<string, object?>> Render(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var kustomization = Manifests.ParseDocuments(File.ReadAllText(file)).Single();
        var unsupported = kustomization.Keys.Except(SupportedFields).ToList();
        if (unsupported.Count > 0)
        {
            throw new InvalidOperationException($"{file}: unsupported kustomization fields {string.Join(", ", unsupported)}");
        }

        var objects = new List<Dictionary<string, object?>>();
        foreach (var resource in Manifests.List(kustomization, "resources").Cast<string>())
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            objects.AddRange(Directory.Exists(path) ? Render(path) : Manifests.ParseDocuments(File.ReadAllText(path)));
        }

        if (kustomization.TryGetValue("namespace", out var ns) && ns is string name)
        {
            foreach (var item in objects.Where(o => !ClusterScoped.Contains(Manifests.Text(o, "kind") ?? string.Empty)))
            {
                Manifests.Map(item, "metadata")["namespace"] = name;
            }
        }

        foreach (var image in Manifests.List(kustomization, "images").Cast<Dictionary<string, object?>>())
        {
            ReplaceImage(objects, (string)image["name"]!, image.GetValueOrDefault("newName") as string, image.GetValueOrDefault("newTag") as string);
        }

        return objects;
    }

    private static void ReplaceImage(List<Dictionary<string, object?>> objects, string name, string? newName, string? newTag)
    {
        foreach (var container in objects.SelectMany(Manifests.Containers))
        {
            var image = (string)container["image"]!;
            var colon = image.LastIndexOf(':');
            var (repository, tag) = colon > image.LastIndexOf('/') && colon >= 0 ? (image[..colon], image[(colon + 1)..]) : (image, null);
            if (repository == name)
            {
                var newImageTag = newTag ?? tag;
                container["image"] = newImageTag is null ? newName ?? repository : $"{newName ?? repository}:{newImageTag}";
            }
        }
    }

    /// <summary>The YAML of one rendered object, for the Kubernetes client's deserializer.</summary>
    public static string ToYaml(Dictionary<string, object?> item) => Writer.Serialize(item);
}
