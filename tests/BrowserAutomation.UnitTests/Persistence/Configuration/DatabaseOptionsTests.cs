using BrowserAutomation.Persistence.Configuration;
using Npgsql;

namespace BrowserAutomation.UnitTests.Persistence.Configuration;

public sealed class DatabaseOptionsTests
{
    [Fact]
    public void Connections_keep_their_most_used_statements_prepared_unless_turned_off_and_are_pooled_without_a_reset()
    {
        var prepared = new NpgsqlConnectionStringBuilder(new DatabaseOptions().BuildConnectionString());
        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.True(prepared.NoResetOnClose);

        var off = new NpgsqlConnectionStringBuilder(new DatabaseOptions { MaxAutoPrepare = 0 }.BuildConnectionString());
        Assert.Equal(0, off.MaxAutoPrepare);
    }

    [Fact]
    public void A_full_connection_string_is_taken_as_given()
    {
        var given = new NpgsqlConnectionStringBuilder(
            new DatabaseOptions { ConnectionString = "Host=db;Database=x;Username=u", ApplicationName = "api" }.BuildConnectionString());
        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.Equal("api", given.ApplicationName);
    }
}
