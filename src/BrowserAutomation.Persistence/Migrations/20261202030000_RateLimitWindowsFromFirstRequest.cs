using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    [DbContext(typeof(AutomationDbContext))]
    [Migration("20261202030000_RateLimitWindowsFromFirstRequest")]
    public partial class RateLimitWindowsFromFirstRequest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A window now starts at a key's first request (milliseconds since the epoch, the database's clock) instead
            // of at a multiple of its length, so no burst of twice the limit fits across a window boundary. The rows
            // only hold running windows: emptying them forgives at most one window.
            migrationBuilder.Sql("""
                TRUNCATE rate_limit_windows;
                ALTER TABLE rate_limit_windows RENAME COLUMN window_index TO window_started_ms;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                TRUNCATE rate_limit_windows;
                ALTER TABLE rate_limit_windows RENAME COLUMN window_started_ms TO window_index;
                """);
        }
    }
}
