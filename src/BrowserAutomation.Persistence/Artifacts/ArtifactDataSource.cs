using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// A small pool of its own (at most 10 connections) on the process's database settings, for chunked artifact reads
/// and the retention runs, so neither can take the connections of submissions and the state machine.
/// </summary>
public sealed class ArtifactDataSource(IOptions<DatabaseOptions> options) : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(options.Value.BuildConnectionString()) { MaxPoolSize = 10, MinPoolSize = 0 }.ConnectionString));

    public NpgsqlDataSource Source => _source.Value;

    public void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Dispose();
        }
    }
}
