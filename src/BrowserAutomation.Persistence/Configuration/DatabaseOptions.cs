using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>PostgreSQL connection settings; the DB_* environment variables map onto these.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>A full connection string; when set it wins over the individual fields.</summary>
    public string? ConnectionString { get; set; }

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 5432;

    [Required]
    public string Username { get; set; } = "automation_user";

    public string Password { get; set; } = "automation_pass";

    [Required]
    public string Database { get; set; } = "browser_automation";

    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>
    /// How many of its most used statements each connection keeps prepared on the server (Npgsql's automatic
    /// preparation), so PostgreSQL parses and plans each of them once per connection instead of on every execution;
    /// 0 turns it off (e.g. behind a pooler that cannot keep prepared statements).
    /// </summary>
    [Range(0, 1000)]
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>
    /// The PostgreSQL application_name of this process's connections. The outbox NOTIFY carries it, so a process
    /// that dispatches its own rows is not raced by every other dispatcher (see OutboxDispatcher).
    /// </summary>
    public string? ApplicationName { get; set; }

    public string BuildConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ApplicationName is null
                ? ConnectionString
                : new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = ApplicationName }.ConnectionString;
        }

        return new NpgsqlConnectionStringBuilder
        {
            ApplicationName = ApplicationName,
            Host = Host,
            Port = Port,
            Username = Username,
            Password = Password,
            Database = Database,
            MaxPoolSize = MaxPoolSize,
            MaxAutoPrepare = MaxAutoPrepare,
            // A pooled connection is handed back as it is: no reset statements on every close (EF Core opens and closes
            // the connection around each query). Nothing here leaves session state behind: settings are SET LOCAL,
            // advisory locks are transaction-scoped (the retention's session lock is released in a finally), LISTEN
            // runs on unpooled connections, and there are no temporary tables.
            NoResetOnClose = true,
            // Fail fast while PostgreSQL is down instead of holding requests for the default 15 s.
            Timeout = 5,
        }.ConnectionString;
    }
}
