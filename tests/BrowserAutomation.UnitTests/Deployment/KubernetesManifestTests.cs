using System.Diagnostics;
using System.Text.Json;
using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// infra/k8s rendered (as kustomize does) and checked against the Kubernetes schemas (the official client's models,
/// strict), KEDA's (keda-schema.yaml) and the applications: probe paths and ports, variables, Secrets and ConfigMaps
/// with their keys, selectors, the workers' NetworkPolicy, KEDA targets and queues. No cluster is needed.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Base = Path.Combine(Root, "infra", "k8s", "base");
    private static readonly DeploymentFacts Facts = DeploymentFacts.FromCode(Root);
    private static readonly CrdSchema Crds = CrdSchema.Load(Path.Combine(AppContext.BaseDirectory, "Deployment", "keda-schema.yaml"));

    [Fact]
    public void The_base_renders_every_part_and_every_object_is_valid()
    {
        var objects = KustomizeRenderer.Render(Base);

        var problems = ManifestValidator.Validate(objects, Facts, Crds);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        var kinds = objects.Select(o => Text(o, "kind")).ToList();
        foreach (var kind in new[] { "Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Job", "PodDisruptionBudget", "NetworkPolicy", "ScaledObject", "TriggerAuthentication" })
        {
            Assert.Contains(kind, kinds);
        }

        Assert.Equal(2L, At(new ManifestSet(objects).Find("Deployment", "api")!, "spec.replicas"));
        Assert.Equal(["chromium", "firefox"], new ManifestSet(objects).OfKind("ScaledObject")
            .Select(s => ((string)At(s, "spec.scaleTargetRef.name")!)["worker-".Length..]).Order());
    }

    [Fact]
    public void The_example_overlay_renders_with_the_registrys_images_and_stays_valid()
    {
        var objects = KustomizeRenderer.Render(Path.Combine(Root, "infra", "k8s", "overlays", "example"));

        Assert.Empty(ManifestValidator.Validate(objects, Facts, Crds));
        Assert.All(objects.SelectMany(Containers), c => Assert.StartsWith("registry.example.com/", (string)c["image"]!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("infra/k8s/base")]
    [InlineData("infra/k8s/overlays/example")]
    public async Task The_renderer_agrees_with_kubectl_kustomize_where_kubectl_exists(string folder)
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            // The renderer's own checks above still ran; kubectl is only the second opinion.
            return;
        }

        using var process = Process.Start(new ProcessStartInfo(kubectl, ["kustomize", Path.Combine(Root, folder)])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);

        Assert.Equal(Canonical(ParseDocuments(output)), Canonical(KustomizeRenderer.Render(Path.Combine(Root, folder))));
    }

    [Theory]
    [InlineData("unknown field", "Deployment/api", "spec.template.spec.containers.0", "imagePullPolcy", "Always", "does not match V1Deployment")]
    [InlineData("required field", "Deployment/api", "spec.template.spec.containers.0", "name", null, "required field 'name'")]
    [InlineData("probe path", "Deployment/api", "spec.template.spec.containers.0.readinessProbe.httpGet", "path", "/healthz", "readinessProbe path /healthz")]
    [InlineData("probe port", "Deployment/worker-firefox", "spec.template.spec.containers.0.ports.0", "containerPort", 8080L, "livenessProbe port")]
    [InlineData("secret key", "Deployment/worker-chromium", "spec.template.spec.containers.0.env.2.valueFrom.secretKeyRef", "key", "DB_PASS", "key DB_PASS of Secret")]
    [InlineData("configmap", "Job/migrate", "spec.template.spec.containers.0.envFrom.0.configMapRef", "name", "settings", "ConfigMap settings")]
    [InlineData("variable name", "ConfigMap/browser-automation-config", "data", "DB_HOSTNAME", "db", "DB_HOSTNAME is read by neither")]
    [InlineData("number in a string map", "ConfigMap/browser-automation-config", "data", "DB_PORT", 5432L, "data.DB_PORT must be a string")]
    [InlineData("drain", "Deployment/worker-chromium", "spec.template.spec", "terminationGracePeriodSeconds", 30L, "must exceed WORKER_DRAIN_TIMEOUT_MS")]
    [InlineData("shared memory", "Deployment/worker-firefox", "spec.template.spec.volumes.0.emptyDir", "medium", "", "/dev/shm must be an emptyDir")]
    [InlineData("engine", "Deployment/worker-firefox", "spec.template.spec.containers.0.env.0", "value", "firefox,chromium", "exactly one engine")]
    [InlineData("image", "Deployment/api", "spec.template.spec.containers.0", "image", "nginx:1.27", "not built by any")]
    [InlineData("non-root", "Deployment/api", "spec.template.spec.securityContext", "runAsNonRoot", false, "runAsNonRoot must be true")]
    [InlineData("migrate verb", "Job/migrate", "spec.template.spec.containers.0", "args", "migrations", "args must start with a verb")]
    [InlineData("service selector", "Service/api", "spec.selector", "app.kubernetes.io/name", "web", "matches no Deployment")]
    [InlineData("budget selector", "PodDisruptionBudget/worker-firefox", "spec.selector.matchLabels", "app.kubernetes.io/component", "webkit", "matches no Deployment")]
    [InlineData("open egress", "NetworkPolicy/worker-egress", "spec.egress.3", "to", null, "without 'to'")]
    [InlineData("metadata address", "NetworkPolicy/worker-egress", "spec.egress.3.to.0.ipBlock", "except", "10.0.0.0/8", "must except")]
    [InlineData("queue", "ScaledObject/worker-chromium", "spec.triggers.0.metadata", "queueName", "jobs-chrome", "queueName jobs-chrome")]
    [InlineData("scale target", "ScaledObject/worker-firefox", "spec.scaleTargetRef", "name", "worker-webkit", "worker-webkit is not a Deployment")]
    [InlineData("KEDA field", "ScaledObject/worker-firefox", "spec", "minReplicas", 0L, "spec.minReplicas: unknown field")]
    [InlineData("KEDA type", "ScaledObject/worker-firefox", "spec.triggers.0.metadata", "value", 8L, "expected string")]
    [InlineData("KEDA required", "ScaledObject/worker-firefox", "spec.triggers.0", "metadata", null, "required field 'metadata'")]
    [InlineData("KEDA secret", "TriggerAuthentication/rabbitmq", "spec.secretTargetRef.0", "key", "uri", "key uri of Secret")]
    public void A_broken_manifest_is_reported(string what, string id, string path, string field, object? value, string expected)
    {
        var objects = KustomizeRenderer.Render(Base);
        var target = Navigate(objects.Single(o => Id(o) == id), path);
        if (value is null)
        {
            target.Remove(field);
        }
        else
        {
            target[field] = value is string s && field is "args" or "except" ? new List<object?> { s } : value;
        }

        var problems = ManifestValidator.Validate(objects, Facts, Crds);

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"{what}: expected a problem containing '{expected}', got:\n{string.Join('\n', problems)}");
    }

    private static Dictionary<string, object?> Navigate(Dictionary<string, object?> item, string path)
    {
        object? current = item;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                List<object?> list => list[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)],
                Dictionary<string, object?> map => map[part],
                _ => throw new InvalidOperationException($"{path} does not lead to an object"),
            };
        }

        return (Dictionary<string, object?>)current!;
    }

    private static List<string> Canonical(IEnumerable<Dictionary<string, object?>> objects) =>
        objects.Select(o => JsonSerializer.Serialize(Sorted(o))).Order(StringComparer.Ordinal).ToList();

    private static object? Sorted(object? value) => value switch
    {
        Dictionary<string, object?> map => new SortedDictionary<string, object?>(map.ToDictionary(p => p.Key, p => Sorted(p.Value)), StringComparer.Ordinal),
        List<object?> list => list.Select(Sorted).ToList(),
        _ => value,
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BrowserAutomation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BrowserAutomation.sln not found above " + AppContext.BaseDirectory);
    }
}
