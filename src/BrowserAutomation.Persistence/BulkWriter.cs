using System.Collections.Concurrent;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace BrowserAutomation.Persistence;

/// <summary>
/// Stores many new jobs at once. The new pending jobs a context tracks, their log rows and every new outbox row are
/// written with PostgreSQL's binary <c>COPY</c> inside the context's open transaction, instead of one <c>INSERT</c>
/// each through SaveChanges (which spent most of a 1,000-job batch's CPU in change tracking and per-row statements).
/// Columns, conversions and column defaults come from the EF Core model, so a row is stored exactly as SaveChanges
/// would store it. Outbox rows are leased and handed to this process's dispatcher at commit like saved ones
/// (<see cref="OutboxCommitInterceptor"/>). The written entries stop being tracked; whatever else is tracked
/// (webhooks, jobs stored already finished, their rows) is left for the next SaveChanges, which sees them as usual.
/// </summary>
public static class BulkWriter
{
    /// <summary>Fewer new jobs than this are left to SaveChanges: its one batched INSERT beats four COPY round trips.</summary>
    public const int MinJobs = 8;

    private const string AllocateSequenceNumbers =
        "SELECT nextval(pg_get_serial_sequence('outbox_messages', 'sequence_number')) FROM generate_series(1, $1)";

    private static readonly ConcurrentDictionary<(IEntityType Type, bool Identity), Column[]> Columns = new();

    /// <summary>
    /// Writes the tracked new pending jobs with their log rows and the tracked new outbox rows, if there are at least
    /// <see cref="MinJobs"/> jobs; returns whether it did. Needs an open transaction: nothing is visible before it
    /// commits, and a failure (a unique idempotency key taken meanwhile: <see cref="PostgresException"/> 23505) leaves
    /// the transaction to be rolled back.
    /// </summary>
    public static async Task<bool> WriteNewJobsAsync(AutomationDbContext db, CancellationToken cancellationToken)
    {
        // Each look at the tracked entries would otherwise scan all of them for changes again: one scan, and only when
        // there is something to write (a small group is left to SaveChanges, which scans anyway).
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await WriteAsync(db, cancellationToken);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static async Task<bool> WriteAsync(AutomationDbContext db, CancellationToken cancellationToken)
    {
        var jobs = db.ChangeTracker.Entries<AutomationJob>()
            .Where(e => e.State == EntityState.Added && e.Entity.CurrentState == JobStates.Pending).ToList();
        if (jobs.Count < MinJobs)
        {
            return false;
        }

        db.ChangeTracker.DetectChanges();
        var connection = db.Database.CurrentTransaction?.GetDbTransaction().Connection as NpgsqlConnection
                         ?? throw new InvalidOperationException("The bulk writer needs an open transaction.");
        var ids = jobs.Select(j => j.Entity.Id).ToHashSet();
        var logs = db.ChangeTracker.Entries<JobLog>().Where(e => e.State == EntityState.Added && ids.Contains(e.Entity.JobId)).ToList();
        var outbox = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList();

        var handOff = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<OutboxCommitInterceptor>().FirstOrDefault();
        // Leases the outbox rows to this process's dispatcher (their locked_until/locked_by are written with them).
        handOff?.Stage(db);
        try
        {
            if (outbox.Count > 0)
            {
                // The dispatcher deletes sent rows by sequence number, so each row needs its own before it is copied.
                var numbers = await AllocateAsync(connection, outbox.Count, cancellationToken);
                for (var i = 0; i < outbox.Count; i++)
                {
                    outbox[i].Entity.SequenceNumber = numbers[i];
                }
            }

            await CopyAsync(connection, db, jobs, identity: false, cancellationToken);
            await CopyAsync(connection, db, logs, identity: false, cancellationToken);
            await CopyAsync(connection, db, outbox, identity: true, cancellationToken);
        }
        catch
        {
            handOff?.Unstage(db);
            throw;
        }

        // Handed over when the transaction commits, like rows saved through SaveChanges.
        handOff?.Saved(db);
        foreach (var entry in jobs.Cast<EntityEntry>().Concat(logs).Concat(outbox))
        {
            entry.State = EntityState.Detached;
        }

        return true;
    }

    private static async Task<long[]> AllocateAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AllocateSequenceNumbers, connection) { Parameters = { new NpgsqlParameter<int> { TypedValue = count } } };
        var numbers = new List<long>(count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                numbers.Add(reader.GetInt64(0));
            }
        }

        // In the order the rows were added, as SaveChanges numbers them.
        numbers.Sort();
        return [.. numbers];
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, DbContext db, List<EntityEntry<T>> rows, bool identity, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var columns = Columns.GetOrAdd((type, identity), key => Describe(key.Type, key.Identity));
        var table = type.GetSchema() is { } schema ? $"\"{schema}\".\"{type.GetTableName()}\"" : $"\"{type.GetTableName()}\"";
        var sql = $"COPY {table} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                if (column.Value(row.Entity) is { } value)
                {
                    await importer.WriteAsync(value, column.DataType, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// The type's columns as SaveChanges writes an added row: every mapped property, converted to what the column
    /// stores; an identity key only when the caller assigned it (<paramref name="identity"/>). A property left at its
    /// CLR default whose column has a constant default gets that constant, as the omitted column would; one whose
    /// default is SQL (now(), gen_random_uuid()) cannot be copied and is refused rather than stored differently.
    /// </summary>
    private static Column[] Describe(IEntityType type, bool identity)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = new List<Column>();
        foreach (var property in type.GetProperties())
        {
            if (property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{type.DisplayName()}.{property.Name} is a shadow property; the bulk writer copies CLR properties only.");
            }

            var keyed = property.GetValueGenerationStrategy() is NpgsqlValueGenerationStrategy.IdentityAlwaysColumn
                or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.SerialColumn;
            if (keyed && !identity)
            {
                continue;
            }

            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var getter = property.GetGetter();
            var converter = mapping.Converter;
            var generated = property.ValueGenerated != ValueGenerated.Never && !keyed;
            var sentinel = property.Sentinel;
            var fallback = generated && property.GetDefaultValue() is { } constant ? constant : null;
            var sqlDefault = generated ? property.GetDefaultValueSql() : null;
            var name = $"{type.DisplayName()}.{property.Name}";
            columns.Add(new Column(property.GetColumnName(table)!, mapping.StoreTypeNameBase, entity =>
            {
                var value = getter.GetClrValueUsingContainingEntity(entity);
                if (generated && Equals(value, sentinel))
                {
                    value = fallback ?? (sqlDefault is null
                        ? value
                        : throw new InvalidOperationException($"{name} is unset and its column default is SQL ({sqlDefault}); set it before a bulk write."));
                }

                return value is null ? null : converter is null ? value : converter.ConvertToProvider(value);
            }));
        }

        return [.. columns];
    }

    private sealed record Column(string Name, string DataType, Func<object, object?> Value);
}
