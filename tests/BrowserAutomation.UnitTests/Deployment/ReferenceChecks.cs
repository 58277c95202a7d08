using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// Cross-references between objects: Service and PodDisruptionBudget selectors, the workers' NetworkPolicy, and KEDA's
/// targets, queues and credentials.
/// </summary>
public static class ReferenceChecks
{
    private static readonly string[] PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

    public static void Check(ManifestSet set, DeploymentFacts facts, List<string> problems)
    {
        foreach (var service in set.OfKind("Service"))
        {
            var pods = set.Selected(StringMap(At(service, "spec.selector")));
            if (pods.Count == 0)
            {
                problems.Add($"{Id(service)}: its selector matches no Deployment's pods");
            }

            foreach (var port in List(Map(service, "spec"), "ports").OfType<Dictionary<string, object?>>())
            {
                var target = port.GetValueOrDefault("targetPort") ?? port.GetValueOrDefault("port");
                if (!pods.All(d => Containers(d).SelectMany(c => List(c, "ports").OfType<Dictionary<string, object?>>())
                        .Any(p => Equals(p.GetValueOrDefault("name"), target) || Equals(p.GetValueOrDefault("containerPort"), target))))
                {
                    problems.Add($"{Id(service)}: targetPort {target} is not a port of the selected pods");
                }
            }
        }

        foreach (var budget in set.OfKind("PodDisruptionBudget"))
        {
            if (set.Selected(StringMap(At(budget, "spec.selector.matchLabels"))).Count == 0)
            {
                problems.Add($"{Id(budget)}: its selector matches no Deployment's pods");
            }
        }

        var workers = set.OfKind("Deployment").Where(d => Containers(d).Any(c => (Text(c, "image") ?? string.Empty).Contains(WorkloadChecks.WorkerImage, StringComparison.Ordinal))).ToList();
        CheckNetworkPolicies(set, workers, problems);
        CheckKeda(set, workers, facts, problems);
    }

    private static void CheckNetworkPolicies(ManifestSet set, List<Dictionary<string, object?>> workers, List<string> problems)
    {
        foreach (var worker in workers)
        {
            var policies = set.OfKind("NetworkPolicy")
                .Where(p => ManifestSet.Matches(StringMap(At(p, "spec.podSelector.matchLabels")), PodLabels(worker))
                    && List(Map(p, "spec"), "policyTypes").Contains("Egress"))
                .ToList();
            if (policies.Count == 0)
            {
                problems.Add($"{Id(worker)}: no NetworkPolicy limits its egress");
            }

            foreach (var policy in policies)
            {
                var rules = List(Map(policy, "spec"), "egress").OfType<Dictionary<string, object?>>().ToList();
                if (rules.Any(r => List(r, "to").Count == 0))
                {
                    problems.Add($"{Id(policy)}: an egress rule without 'to' allows every address, in-cluster ones included");
                }

                var peers = rules.SelectMany(r => List(r, "to").OfType<Dictionary<string, object?>>()).ToList();
                if (!peers.Any(p => StringMap(At(p, "podSelector.matchLabels")).GetValueOrDefault("k8s-app") == "kube-dns"))
                {
                    problems.Add($"{Id(policy)}: workers cannot resolve names (no rule to kube-dns)");
                }

                foreach (var block in peers.Select(p => Map(p, "ipBlock")).Where(b => b.Count > 0))
                {
                    var excepted = List(block, "except").OfType<string>().ToHashSet(StringComparer.Ordinal);
                    if (Text(block, "cidr") == "0.0.0.0/0" && PrivateRanges.Any(r => !excepted.Contains(r)))
                    {
                        problems.Add($"{Id(policy)}: 0.0.0.0/0 must except {string.Join(", ", PrivateRanges)} (cluster and metadata addresses)");
                    }
                }
            }
        }
    }

    private static void CheckKeda(ManifestSet set, List<Dictionary<string, object?>> workers, DeploymentFacts facts, List<string> problems)
    {
        foreach (var scaled in set.OfKind("ScaledObject"))
        {
            var id = Id(scaled);
            var targetName = Text(Map(Map(scaled, "spec"), "scaleTargetRef"), "name") ?? string.Empty;
            var target = set.Find(Text(Map(Map(scaled, "spec"), "scaleTargetRef"), "kind") ?? "Deployment", targetName);
            if (target is null)
            {
                problems.Add($"{id}: scaleTargetRef {targetName} is not a Deployment of this base");
                continue;
            }

            var engine = Containers(target).SelectMany(c => List(c, "env").OfType<Dictionary<string, object?>>())
                .FirstOrDefault(e => Text(e, "name") == "WORKER_ENGINES") is { } variable ? Text(variable, "value") : null;
            foreach (var trigger in List(Map(scaled, "spec"), "triggers").OfType<Dictionary<string, object?>>())
            {
                var queue = Text(Map(trigger, "metadata"), "queueName");
                if (engine is null || queue != facts.EngineQueue(engine))
                {
                    problems.Add($"{id}: queueName {queue} is not the queue of {targetName}'s engine ({(engine is null ? "none" : facts.EngineQueue(engine))})");
                }

                var authentication = Text(Map(trigger, "authenticationRef"), "name");
                if (authentication is null || set.Find("TriggerAuthentication", authentication) is null)
                {
                    problems.Add($"{id}: authenticationRef {authentication} names no TriggerAuthentication");
                }
            }
        }

        foreach (var authentication in set.OfKind("TriggerAuthentication"))
        {
            foreach (var reference in List(Map(authentication, "spec"), "secretTargetRef").OfType<Dictionary<string, object?>>())
            {
                var secret = set.Find("Secret", Text(reference, "name") ?? string.Empty);
                if (secret is null || !(Map(secret, "stringData").ContainsKey(Text(reference, "key") ?? string.Empty)
                        || Map(secret, "data").ContainsKey(Text(reference, "key") ?? string.Empty)))
                {
                    problems.Add($"{Id(authentication)}: key {Text(reference, "key")} of Secret {Text(reference, "name")} does not exist");
                }
            }
        }

        foreach (var worker in workers.Where(w => !set.OfKind("ScaledObject").Any(s => At(s, "spec.scaleTargetRef.name") as string == Text(Map(w, "metadata"), "name"))))
        {
            problems.Add($"{Id(worker)}: no ScaledObject scales it");
        }
    }
}
