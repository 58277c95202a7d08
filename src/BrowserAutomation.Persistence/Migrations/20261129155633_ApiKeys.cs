using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_jobs_idempotency_key",
                table: "automation_jobs");

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "automation_jobs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "default");

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    rate_limit_max = table.Column<int>(type: "integer", nullable: true),
                    rate_limit_window_ms = table.Column<int>(type: "integer", nullable: true),
                    max_concurrent_jobs = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "idx_jobs_engine_pending",
                table: "automation_jobs",
                column: "engine",
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "idx_jobs_owner_active",
                table: "automation_jobs",
                column: "owner",
                filter: "status IN ('pending', 'processing')");

            migrationBuilder.CreateIndex(
                name: "idx_jobs_owner_created",
                table: "automation_jobs",
                columns: new[] { "owner", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_jobs_owner_idempotency_key",
                table: "automation_jobs",
                columns: new[] { "owner", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "idx_api_keys_owner_created",
                table: "api_keys",
                columns: new[] { "owner", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropIndex(
                name: "idx_jobs_engine_pending",
                table: "automation_jobs");

            migrationBuilder.DropIndex(
                name: "idx_jobs_owner_active",
                table: "automation_jobs");

            migrationBuilder.DropIndex(
                name: "idx_jobs_owner_created",
                table: "automation_jobs");

            migrationBuilder.DropIndex(
                name: "ux_jobs_owner_idempotency_key",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "automation_jobs");

            migrationBuilder.CreateIndex(
                name: "ux_jobs_idempotency_key",
                table: "automation_jobs",
                column: "idempotency_key",
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }
    }
}
