using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "attempt_timeout_token_id",
                table: "automation_jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_reference",
                table: "automation_jobs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "engine",
                table: "automation_jobs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "chromium");

            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                table: "automation_jobs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_hash",
                table: "automation_jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "status_version",
                table: "automation_jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ux_jobs_idempotency_key",
                table: "automation_jobs",
                column: "idempotency_key",
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_jobs_idempotency_key",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "attempt_timeout_token_id",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "client_reference",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "engine",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "request_hash",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "status_version",
                table: "automation_jobs");
        }
    }
}
