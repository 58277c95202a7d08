using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A fresh, migrated PostgreSQL database for one fixture, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString => Build(Name);

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase($"ba_test_{Guid.NewGuid():N}"[..24]);
        await using (var admin = new NpgsqlConnection(Build("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public AutomationDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<AutomationDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>A job row in state pending, as the API would create it (without a message).</summary>
    public async Task<Guid> InsertPendingJobAsync(string owner = BrowserAutomation.Persistence.Jobs.AutomationJob.DefaultOwner)
    {
        await using var db = CreateDbContext();
        var job = new BrowserAutomation.Persistence.Jobs.AutomationJob
        {
            Id = MassTransit.NewId.NextGuid(),
            Owner = owner,
            BrowserTypeId = 1,
            TargetUrl = "http://127.0.0.1/",
            Actions = "[]",
            CurrentState = "Pending",
            CreatedAt = DateTime.UtcNow,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Build("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Build(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = TestSettings.DbHost,
        Port = TestSettings.DbPort,
        Username = TestSettings.DbUser,
        Password = TestSettings.DbPassword,
        Database = database,
        Timeout = 5,
    }.ConnectionString;
}
