using System.Collections.Frozen;
using System.Security.Cryptography;

namespace BrowserAutomation.Api.Dashboard;

/// <summary>The dashboard's page, script and style sheet, embedded in the API assembly (no files to deploy, nothing fetched elsewhere).</summary>
internal static class DashboardAssets
{
    private const string Prefix = "Dashboard/";

    private static readonly FrozenDictionary<string, Asset> All = Load();

    public static Asset? Find(string name) => All.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(bytes, ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
