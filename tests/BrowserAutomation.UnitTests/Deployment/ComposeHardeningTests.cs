using System.Globalization;
using System.Text.Json;
using static BrowserAutomation.UnitTests.Deployment.Manifests;

namespace BrowserAutomation.UnitTests.Deployment;

/// <summary>
/// docker-compose.yml as written (its rendering by docker-compose is checked in the integration tests): every
/// long-running service has a health check and limits, the worker has shared memory, Chromium's seccomp profile and a
/// stop grace above its drain; the profile itself permits what Chromium's sandbox needs.
/// </summary>
public sealed class ComposeHardeningTests
{
    private static readonly string Root = FindRoot();
    private static readonly Dictionary<string, object?> Services =
        Map(ParseDocuments(File.ReadAllText(Path.Combine(Root, "docker-compose.yml"))).Single(), "services");

    public static TheoryData<string> LongRunning => new(Services.Keys.Where(k => k != "migrate"));

    [Theory]
    [MemberData(nameof(LongRunning))]
    public void A_long_running_service_has_a_health_check(string service)
    {
        var check = Map((Dictionary<string, object?>)Services[service]!, "healthcheck");

        Assert.True(List(check, "test").Count > 1, $"{service}: no healthcheck.test");
    }

    [Fact]
    public void Every_service_has_cpu_and_memory_limits()
    {
        foreach (var (name, service) in Services)
        {
            var limits = At((Dictionary<string, object?>)service!, "deploy.resources.limits") as Dictionary<string, object?>;
            Assert.True(limits is not null && limits.ContainsKey("cpus") && limits.ContainsKey("memory"), $"{name}: deploy.resources.limits needs cpus and memory");
        }
    }

    [Fact]
    public void The_worker_has_shared_memory_the_sandbox_profile_and_a_stop_grace_above_its_drain()
    {
        var worker = (Dictionary<string, object?>)Services["worker"]!;

        Assert.NotNull(Text(worker, "shm_size"));
        var seccomp = List(worker, "security_opt").OfType<string>().Single(o => o.StartsWith("seccomp=", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, seccomp["seccomp=".Length..])), seccomp);
        var drainMs = long.Parse(Text(Map(worker, "environment"), "WORKER_DRAIN_TIMEOUT_MS")!, CultureInfo.InvariantCulture);
        var graceSeconds = long.Parse(Text(worker, "stop_grace_period")!.TrimEnd('s'), CultureInfo.InvariantCulture);
        Assert.True(graceSeconds * 1000 > drainMs, $"stop_grace_period {graceSeconds}s must exceed WORKER_DRAIN_TIMEOUT_MS {drainMs}");
    }

    [Fact]
    public void The_seccomp_profile_lets_chromium_make_its_namespaces_and_refuses_the_kernels_administration_calls()
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "infra", "seccomp", "chromium-sandbox.json")));
        var rules = profile.RootElement.GetProperty("syscalls").EnumerateArray()
            .SelectMany(r => r.GetProperty("names").EnumerateArray().Select(n => (Name: n.GetString()!, Action: r.GetProperty("action").GetString())))
            .ToDictionary(r => r.Name, r => r.Action);

        Assert.Equal("SCMP_ACT_ALLOW", profile.RootElement.GetProperty("defaultAction").GetString());
        foreach (var needed in new[] { "clone", "unshare", "setns", "chroot" })
        {
            Assert.False(rules.ContainsKey(needed), $"{needed} must stay allowed for Chromium's sandbox");
        }

        foreach (var refused in new[] { "mount", "kexec_load", "init_module", "bpf", "keyctl", "perf_event_open" })
        {
            Assert.Equal("SCMP_ACT_ERRNO", rules.GetValueOrDefault(refused));
        }
    }

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
