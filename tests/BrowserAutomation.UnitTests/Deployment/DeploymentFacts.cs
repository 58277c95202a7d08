using System.Text.RegularExpressions;
using BrowserAutomation.Automation;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence.Messaging;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>What the applications themselves define, that the manifests must agree with.</summary>
public sealed record DeploymentFacts(
    IReadOnlySet<string> Variables,
    IReadOnlySet<string> HealthPaths,
    IReadOnlySet<string> Engines,
    Func<string, string> EngineQueue,
    IReadOnlySet<string> ApiVerbs,
    IReadOnlyDictionary<string, string> ImageDockerfiles)
{
    // Read by ASP.NET Core itself, not through the table.
    private static readonly string[] FrameworkVariables = ["ASPNETCORE_URLS"];

    public static DeploymentFacts FromCode(string repositoryRoot)
    {
        var health = File.ReadAllText(Path.Combine(repositoryRoot, "src", "BrowserAutomation.Hosting", "Observability", "HealthHostExtensions.cs"));
        var verbs = File.ReadAllText(Path.Combine(repositoryRoot, "src", "BrowserAutomation.Api", "Infrastructure", "ApiVerbs.cs"));
        var dockerfiles = Directory.GetFiles(Path.Combine(repositoryRoot, "infra", "docker"), "*.Dockerfile")
            .ToDictionary(f => "browser-automation-" + Path.GetFileName(f).Replace(".Dockerfile", string.Empty, StringComparison.Ordinal), f => f, StringComparer.Ordinal);
        return new DeploymentFacts(
            EnvironmentMapping.Variables.Select(v => v.Name).Concat(FrameworkVariables).ToHashSet(StringComparer.Ordinal),
            Regex.Matches(health, "MapHealthChecks\\(\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal),
            new HashSet<string>([BrowserEngines.Chromium, BrowserEngines.Firefox, BrowserEngines.WebKit], StringComparer.Ordinal),
            BusTopology.EngineQueue,
            Regex.Matches(verbs, "case \\[\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal),
            dockerfiles);
    }
}
