using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ControlPlane : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_browser_types_type",
                table: "browser_types");

            migrationBuilder.AddCheckConstraint(
                name: "ck_browser_types_type",
                table: "browser_types",
                sql: "type IN ('chromium', 'firefox', 'webkit', 'simulated')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_browser_types_type",
                table: "browser_types");

            migrationBuilder.AddCheckConstraint(
                name: "ck_browser_types_type",
                table: "browser_types",
                sql: "type IN ('chromium', 'firefox', 'webkit')");
        }
    }
}
