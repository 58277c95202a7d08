using System.Globalization;
using System.Text.RegularExpressions;
using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// Cross-references of Deployments and Jobs with the applications and with the other objects: variables, ConfigMaps
/// and Secrets (with their keys), images, probes (paths the apps serve, ports they listen on), the worker's engine,
/// shared memory and drain, and the pods' security settings.
/// </summary>
public static class WorkloadChecks
{
    public const string ApiImage = "browser-automation-api";
    public const string WorkerImage = "browser-automation-worker";

    public static void Check(Dictionary<string, object?> workload, ManifestSet set, DeploymentFacts facts, List<string> problems)
    {
        var id = Id(workload);
        var pod = PodSpec(workload)!;
        if (At(pod, "securityContext.runAsNonRoot") is not true)
        {
            problems.Add($"{id}: pod securityContext.runAsNonRoot must be true");
        }

        if (Text(workload, "kind") == "Deployment")
        {
            var selector = StringMap(At(workload, "spec.selector.matchLabels"));
            if (selector.Count == 0 || !ManifestSet.Matches(selector, PodLabels(workload)))
            {
                problems.Add($"{id}: spec.selector.matchLabels must select the pod template's labels");
            }
        }

        foreach (var container in Containers(workload))
        {
            CheckContainer(workload, pod, container, set, facts, problems);
        }
    }

    private static void CheckContainer(Dictionary<string, object?> workload, Dictionary<string, object?> pod, Dictionary<string, object?> container,
        ManifestSet set, DeploymentFacts facts, List<string> problems)
    {
        var id = $"{Id(workload)} container {Text(container, "name")}";
        var environment = Environment(id, container, set, facts, problems);

        var image = Text(container, "image") ?? string.Empty;
        var repository = Regex.Replace(image, ":[^:/]+$", string.Empty);
        var imageName = repository[(repository.LastIndexOf('/') + 1)..];
        if (!facts.ImageDockerfiles.ContainsKey(imageName))
        {
            problems.Add($"{id}: image {image} is not built by any infra/docker/*.Dockerfile ({string.Join(", ", facts.ImageDockerfiles.Keys)})");
        }

        if (At(container, "securityContext.allowPrivilegeEscalation") is not false
            || !List(Map(Map(container, "securityContext"), "capabilities"), "drop").Contains("ALL"))
        {
            problems.Add($"{id}: securityContext must set allowPrivilegeEscalation: false and drop ALL capabilities");
        }

        if (At(container, "resources.limits.memory") is null || At(container, "resources.requests.memory") is null)
        {
            problems.Add($"{id}: resources.requests.memory and resources.limits.memory must be set");
        }

        if (Text(workload, "kind") == "Job")
        {
            if (imageName == ApiImage && (List(container, "args").FirstOrDefault() is not string verb || !facts.ApiVerbs.Contains(verb)))
            {
                problems.Add($"{id}: args must start with a verb of the API ({string.Join(", ", facts.ApiVerbs)})");
            }

            return;
        }

        var port = imageName switch
        {
            ApiImage => environment.GetValueOrDefault("ASPNETCORE_URLS") is { } urls && Regex.Match(urls, @":(\d+)") is { Success: true } m
                ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                : (int?)null,
            WorkerImage => environment.ContainsKey("ASPNETCORE_URLS") ? null
                : int.Parse(environment.GetValueOrDefault("WORKER_HTTP_PORT") ?? "3001", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (port is null)
        {
            problems.Add($"{id}: cannot tell the port the process listens on (API: ASPNETCORE_URLS; worker: WORKER_HTTP_PORT)");
        }

        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            CheckProbe(id, container, probe, port, facts, problems);
        }

        if (imageName == WorkerImage)
        {
            CheckWorker(workload, pod, container, environment, facts, problems);
        }
    }

    private static Dictionary<string, string> Environment(string id, Dictionary<string, object?> container, ManifestSet set, DeploymentFacts facts,
        List<string> problems)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in List(container, "envFrom").OfType<Dictionary<string, object?>>())
        {
            if (Text(Map(source, "configMapRef"), "name") is { } name)
            {
                if (set.Find("ConfigMap", name) is not { } configMap)
                {
                    problems.Add($"{id}: envFrom names ConfigMap {name}, which does not exist");
                    continue;
                }

                foreach (var (key, value) in Map(configMap, "data"))
                {
                    environment[key] = value as string ?? string.Empty;
                }
            }
            else
            {
                problems.Add($"{id}: envFrom supports configMapRef only here (Secrets by key, so each key is checked)");
            }
        }

        foreach (var variable in List(container, "env").OfType<Dictionary<string, object?>>())
        {
            var name = Text(variable, "name") ?? string.Empty;
            if (variable.TryGetValue("value", out var value))
            {
                if (value is not string text)
                {
                    problems.Add($"{id}: env {name} must be a string (quote it), found {value}");
                    continue;
                }

                environment[name] = text;
            }
            else if (At(variable, "valueFrom.secretKeyRef") is Dictionary<string, object?> reference)
            {
                var secret = set.Find("Secret", Text(reference, "name") ?? string.Empty);
                var key = Text(reference, "key") ?? string.Empty;
                if (secret is null || !(Map(secret, "stringData").ContainsKey(key) || Map(secret, "data").ContainsKey(key)))
                {
                    problems.Add($"{id}: env {name} reads key {key} of Secret {Text(reference, "name")}, which does not exist");
                }

                environment[name] = "<secret>";
            }
        }

        foreach (var name in environment.Keys.Where(n => !facts.Variables.Contains(n)))
        {
            problems.Add($"{id}: variable {name} is read by neither application (not in EnvironmentMapping)");
        }

        return environment;
    }

    private static void CheckProbe(string id, Dictionary<string, object?> container, string probe, int? port, DeploymentFacts facts, List<string> problems)
    {
        if (At(container, $"{probe}.httpGet") is not Dictionary<string, object?> get)
        {
            problems.Add($"{id}: needs an httpGet {probe}");
            return;
        }

        if (Text(get, "path") is not { } path || !facts.HealthPaths.Contains(path))
        {
            problems.Add($"{id}: {probe} path {Text(get, "path")} is not served (health paths: {string.Join(", ", facts.HealthPaths)})");
        }

        var ports = List(container, "ports").OfType<Dictionary<string, object?>>().ToList();
        var target = get.GetValueOrDefault("port") switch
        {
            long number => number,
            string name => ports.FirstOrDefault(p => Text(p, "name") == name)?.GetValueOrDefault("containerPort") as long?,
            _ => null,
        };
        if (target is null || target != port)
        {
            problems.Add($"{id}: {probe} port {get.GetValueOrDefault("port")} is {target?.ToString(CultureInfo.InvariantCulture) ?? "no container port"}, but the process listens on {port}");
        }
    }

    private static void CheckWorker(Dictionary<string, object?> workload, Dictionary<string, object?> pod, Dictionary<string, object?> container,
        Dictionary<string, string> environment, DeploymentFacts facts, List<string> problems)
    {
        var id = Id(workload);
        if (environment.GetValueOrDefault("WORKER_ENGINES") is not { } engine || !facts.Engines.Contains(engine))
        {
            problems.Add($"{id}: a worker Deployment serves exactly one engine: WORKER_ENGINES one of {string.Join(", ", facts.Engines)}");
        }

        var shm = List(container, "volumeMounts").OfType<Dictionary<string, object?>>().FirstOrDefault(m => Text(m, "mountPath") == "/dev/shm");
        var volume = List(pod, "volumes").OfType<Dictionary<string, object?>>().FirstOrDefault(v => Text(v, "name") == Text(shm ?? [], "name"));
        if (shm is null || volume is null || At(volume, "emptyDir.medium") is not "Memory")
        {
            problems.Add($"{id}: /dev/shm must be an emptyDir with medium Memory");
        }

        var drain = environment.GetValueOrDefault("WORKER_DRAIN_TIMEOUT_MS");
        if (drain is null || At(pod, "terminationGracePeriodSeconds") is not long grace
            || grace * 1000 <= long.Parse(drain, CultureInfo.InvariantCulture))
        {
            problems.Add($"{id}: terminationGracePeriodSeconds must exceed WORKER_DRAIN_TIMEOUT_MS ({drain ?? "not set"} ms)");
        }
    }
}
