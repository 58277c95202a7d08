using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// A plain Npgsql data source on the API's database for the hot, fixed statements of intake (rate-limit windows, bulk
/// inserts), where EF Core's per-call cost is not worth paying. Its pool is separate from EF Core's.
/// </summary>
public sealed class IntakeDataSource(IOptions<DatabaseOptions> options) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(options.Value.BuildConnectionString()));

    public NpgsqlDataSource Source => _source.Value;

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync();
        }
    }
}
