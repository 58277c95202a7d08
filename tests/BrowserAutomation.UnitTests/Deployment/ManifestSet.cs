using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>The rendered objects, looked up by kind and name.</summary>
public sealed class ManifestSet(IReadOnlyList<Dictionary<string, object?>> objects)
{
    public IReadOnlyList<Dictionary<string, object?>> Objects { get; } = objects;

    public IEnumerable<Dictionary<string, object?>> OfKind(string kind) => Objects.Where(o => Text(o, "kind") == kind);

    public Dictionary<string, object?>? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => Text(Map(o, "metadata"), "name") == name);

    /// <summary>Deployments whose pods carry every label of <paramref name="selector"/>.</summary>
    public List<Dictionary<string, object?>> Selected(Dictionary<string, string> selector) =>
        OfKind("Deployment").Where(d => selector.Count > 0 && Matches(selector, PodLabels(d))).ToList();

    public static bool Matches(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value);
}
