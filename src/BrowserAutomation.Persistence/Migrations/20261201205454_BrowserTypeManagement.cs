using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BrowserTypeManagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Browser types created through the API get ids from 100 on; the built-in ones keep theirs.
            migrationBuilder.Sql("""
                SELECT setval(pg_get_serial_sequence('browser_types', 'id'), GREATEST(99, (SELECT coalesce(max(id), 0) FROM browser_types)));
                """);

            // Every API copy caches API keys and browser types; a change that matters to them is announced on
            // lookup_changes (payload "api_keys:<id>" or "browser_types:<id>"), whoever made it.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION lookup_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('lookup_changes', TG_TABLE_NAME || ':' || coalesce(NEW.id, OLD.id)::text);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER api_keys_lookup_changes
                    AFTER UPDATE OF owner, scopes, rate_limit_max, rate_limit_window_ms, max_concurrent_jobs, revoked_at, key_hash OR DELETE
                    ON api_keys FOR EACH ROW EXECUTE FUNCTION lookup_changes_notify();
                CREATE TRIGGER browser_types_lookup_changes
                    AFTER INSERT OR UPDATE OR DELETE ON browser_types FOR EACH ROW EXECUTE FUNCTION lookup_changes_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS browser_types_lookup_changes ON browser_types;
                DROP TRIGGER IF EXISTS api_keys_lookup_changes ON api_keys;
                DROP FUNCTION IF EXISTS lookup_changes_notify();
                """);
        }
    }
}
