using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "expires_at",
                table: "automation_jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "start_by",
                table: "automation_jobs",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "start_by",
                table: "automation_jobs");
        }
    }
}
