using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>Every problem of a set of rendered objects: schemas (Kubernetes' and KEDA's), then cross-references.</summary>
public static class ManifestValidator
{
    public static List<string> Validate(IReadOnlyList<Dictionary<string, object?>> objects, DeploymentFacts facts, CrdSchema crds)
    {
        var problems = new List<string>();
        var set = new ManifestSet(objects);
        foreach (var item in objects)
        {
            var kind = Text(item, "kind") ?? string.Empty;
            if (KubernetesSchema.Knows(Text(item, "apiVersion") ?? string.Empty, kind))
            {
                problems.AddRange(KubernetesSchema.Check(item).Problems);
            }
            else if (crds.Has(kind))
            {
                problems.AddRange(crds.Check(kind, item));
            }
            else
            {
                problems.Add($"{Id(item)}: {Text(item, "apiVersion")} {kind} has no schema here");
            }

            StringsOnly(item, "data", problems);
            StringsOnly(item, "stringData", problems);
            StringsOnly(Map(item, "metadata"), "labels", problems, Id(item));
            StringsOnly(Map(item, "metadata"), "annotations", problems, Id(item));
            if (PodSpec(item) is not null)
            {
                WorkloadChecks.Check(item, set, facts, problems);
            }
        }

        var namespaces = set.OfKind("Namespace").Select(n => Text(Map(n, "metadata"), "name")).ToHashSet();
        foreach (var item in objects.Where(o => Text(o, "kind") != "Namespace" && !namespaces.Contains(Text(Map(o, "metadata"), "namespace"))))
        {
            problems.Add($"{Id(item)}: namespace {Text(Map(item, "metadata"), "namespace")} is not created by this base");
        }

        ReferenceChecks.Check(set, facts, problems);
        return problems;
    }

    // Kubernetes refuses a number or boolean where a map of strings is expected; the client's models would not notice.
    private static void StringsOnly(Dictionary<string, object?> owner, string key, List<string> problems, string? id = null)
    {
        foreach (var (name, value) in Map(owner, key).Where(p => p.Value is not string))
        {
            problems.Add($"{id ?? Id(owner)}: {key}.{name} must be a string (quote it), found {value}");
        }
    }
}
