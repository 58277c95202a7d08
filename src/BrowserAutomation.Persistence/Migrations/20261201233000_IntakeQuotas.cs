using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    [DbContext(typeof(AutomationDbContext))]
    [Migration("20261201233000_IntakeQuotas")]
    public partial class IntakeQuotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rate-limit windows shared by every API copy: one row per key, budget and window length, rewritten in place.
            // UNLOGGED: no WAL per request; after a PostgreSQL crash the windows start empty, which only forgives a window.
            migrationBuilder.Sql("""
                CREATE UNLOGGED TABLE rate_limit_windows (
                    key text PRIMARY KEY,
                    window_index bigint NOT NULL,
                    count bigint NOT NULL
                );
                """);

            // Webhook signers' settings are cached by every API copy like API keys; changes are announced the same way.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION webhook_keys_lookup_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('lookup_changes', 'webhook_keys:' || coalesce(NEW.signer_id, OLD.signer_id));
                    RETURN NULL;
                END $$;
                CREATE TRIGGER webhook_keys_lookup_changes
                    AFTER INSERT OR UPDATE OR DELETE ON webhook_keys FOR EACH ROW EXECUTE FUNCTION webhook_keys_lookup_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS webhook_keys_lookup_changes ON webhook_keys;
                DROP FUNCTION IF EXISTS webhook_keys_lookup_notify();
                DROP TABLE IF EXISTS rate_limit_windows;
                """);
        }
    }
}
