using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    [DbContext(typeof(AutomationDbContext))]
    [Migration("20261202160000_OwnerActiveBounds")]
    public partial class OwnerActiveBounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An upper bound of each owner's active (pending + processing) jobs, raised by every admission under the
            // owner's advisory lock, so the active-job cap is checked without counting while the bound leaves room. A
            // missing row means "count": UNLOGGED, since a crash that empties the table only costs one count per owner.
            migrationBuilder.Sql("""
                CREATE UNLOGGED TABLE owner_active_bounds (
                    owner text PRIMARY KEY,
                    active integer NOT NULL CHECK (active >= 0)
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS owner_active_bounds;");
        }
    }
}
