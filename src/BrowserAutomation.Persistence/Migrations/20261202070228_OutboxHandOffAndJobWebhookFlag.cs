using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutboxHandOffAndJobWebhookFlag : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "locked_by",
                table: "outbox_messages",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "locked_until",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "has_webhook",
                table: "automation_jobs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Jobs stored before the column existed keep their webhooks.
            migrationBuilder.Sql("UPDATE automation_jobs AS j SET has_webhook = true FROM job_webhooks AS w WHERE w.job_id = j.id;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "locked_by",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "locked_until",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "has_webhook",
                table: "automation_jobs");
        }
    }
}
