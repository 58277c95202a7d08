using System.Net;
using BrowserAutomation.Networking;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// How each engine's browser is launched: its executable, command-line arguments, preferences, proxy and
/// environment. Every engine is sent through the <see cref="EgressProxy"/> and kept from resolving or connecting on
/// its own.
/// </summary>
internal static class EngineLaunchArguments
{
    private static readonly string[] ChromiumArgs =
    [
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--disable-default-apps",
        "--mute-audio",
        "--disable-dev-shm-usage",
    ];

    /// <summary>
    /// No resolver of its own (every name goes to the proxy, which resolves it), and no UDP outside the proxy
    /// (WebRTC). The proxy's own address is an IP literal and is excluded from the mapping.
    /// </summary>
    internal static string[] ChromiumEgressArgs(IPEndPoint proxy) =>
    [
        $"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {proxy.Address}",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--enforce-webrtc-ip-permission-check",
        "--dns-prefetch-disable",
    ];

    internal static Dictionary<string, object> FirefoxEgressPrefs(IPEndPoint proxy) => new()
    {
        ["network.proxy.type"] = 1,
        ["network.proxy.http"] = proxy.Address.ToString(),
        ["network.proxy.http_port"] = proxy.Port,
        ["network.proxy.ssl"] = proxy.Address.ToString(),
        ["network.proxy.ssl_port"] = proxy.Port,
        ["network.proxy.share_proxy_settings"] = true,
        ["network.proxy.no_proxies_on"] = string.Empty,
        ["network.proxy.allow_hijacking_localhost"] = true,
        ["network.proxy.socks_remote_dns"] = true,
        ["network.proxy.failover_direct"] = false,
        ["network.proxy.allow_bypass"] = false,
        ["network.dns.disablePrefetch"] = true,
        ["network.dns.disablePrefetchFromHTTPS"] = true,
        ["network.predictor.enabled"] = false,
        ["network.prefetch-next"] = false,
        ["network.http.speculative-parallel-limit"] = 0,
        ["network.trr.mode"] = 5,
        ["media.peerconnection.enabled"] = false,
        ["media.peerconnection.ice.proxy_only"] = true,
        ["media.navigator.enabled"] = false,
        ["network.captive-portal-service.enabled"] = false,
        ["network.connectivity-service.enabled"] = false,
    };

    /// <summary>The launch options of one browser of <paramref name="engine"/>; starts the egress proxy if it is not yet.</summary>
    /// <exception cref="FileNotFoundException">The configured executable does not exist.</exception>
    internal static BrowserTypeLaunchOptions For(string engine, BrowserOptions configured, IEnumerable<KeyValuePair<string, string>> environment, EgressProxy egress)
    {
        var options = new BrowserTypeLaunchOptions
        {
            Headless = configured.Headless,
            Timeout = configured.LaunchTimeoutMs,
            Env = environment,
        };

        // Checked here: Playwright creates the launch's temporary folders before it looks for the executable.
        var executable = (engine, configured.UseBundledBrowsers) switch
        {
            (_, true) => null,
            (BrowserEngines.Chromium, _) => configured.ChromiumExecutablePath,
            (BrowserEngines.Firefox, _) => configured.FirefoxExecutablePath,
            _ => null,
        };
        if (executable is not null && !File.Exists(executable))
        {
            throw new FileNotFoundException($"The {engine} executable does not exist at {executable}.", executable);
        }

        // Every request goes through the egress proxy, which checks the address it connects to (see ChromiumEgressArgs, FirefoxEgressPrefs).
        egress.Start();
        var proxy = egress.ProxyServer;
        switch (engine)
        {
            case BrowserEngines.Chromium:
                // "<-loopback>" removes Chromium's implicit bypass of localhost and 127/8, so loopback is checked too.
                options.Proxy = new Proxy { Server = proxy, Bypass = "<-loopback>" };
                options.Args = [.. ChromiumArgs, .. ChromiumEgressArgs(egress.Endpoint)];
                // Playwright passes --no-sandbox by default; the sandbox only has to go when running as root.
                options.ChromiumSandbox = !ProcessUser.IsRoot;
                if (!configured.UseBundledBrowsers)
                {
                    options.ExecutablePath = configured.ChromiumExecutablePath;
                }

                return options;

            case BrowserEngines.Firefox:
                if (!configured.UseBundledBrowsers)
                {
                    // A stock Firefox speaks WebDriver BiDi only; the moz- channel tells Playwright so.
                    options.Channel = "moz-firefox";
                    options.ExecutablePath = configured.FirefoxExecutablePath;
                }

                // Playwright's BiDi proxy capability sets only the http proxy; the preferences send https, wss and
                // loopback through it as well, and keep Firefox from resolving or connecting on its own.
                options.Proxy = new Proxy { Server = proxy };
                options.FirefoxUserPrefs = FirefoxEgressPrefs(egress.Endpoint);

                return options;

            case BrowserEngines.WebKit:
                return options;

            default:
                throw new InvalidOperationException($"Unknown engine '{engine}'.");
        }
    }

    /// <summary>The driver's launcher for <paramref name="engine"/>.</summary>
    internal static IBrowserType BrowserTypeOf(IPlaywright playwright, string engine) => engine switch
    {
        BrowserEngines.Chromium => playwright.Chromium,
        BrowserEngines.Firefox => playwright.Firefox,
        BrowserEngines.WebKit => playwright.Webkit,
        _ => throw new InvalidOperationException($"Unknown engine '{engine}'."),
    };
}
