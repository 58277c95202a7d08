using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>A pooled data source on the process's database settings for artifact reads and the retention runs.</summary>
public sealed class ArtifactDataSource(IOptions<DatabaseOptions> options) : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(options.Value.BuildConnectionString()));

    public NpgsqlDataSource Source => _source.Value;

    public void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Dispose();
        }
    }
}
