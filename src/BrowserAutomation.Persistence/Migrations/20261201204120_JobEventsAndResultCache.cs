using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobEventsAndResultCache : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "cached_from_job_id",
                table: "automation_jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "result_key",
                table: "automation_jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "job_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    previous_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    changed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_job_events_automation_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "automation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "idx_jobs_result_cache",
                table: "automation_jobs",
                columns: new[] { "owner", "result_key", "completed_at" },
                descending: new[] { false, false, true },
                filter: "result_key IS NOT NULL AND status = 'completed' AND cached_from_job_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "idx_job_events_changed_at",
                table: "job_events",
                column: "changed_at");

            migrationBuilder.CreateIndex(
                name: "idx_job_events_job",
                table: "job_events",
                columns: new[] { "job_id", "id" });

            migrationBuilder.CreateIndex(
                name: "idx_job_events_owner",
                table: "job_events",
                columns: new[] { "owner", "id" });

            // Event ids in commit order: each insert takes a transaction-wide lock before drawing its id, so a transaction
            // that draws a smaller id has committed (or rolled back) before any larger one is drawn. A reader that has seen
            // id N can then never see an id below N appear later (the live streams resume from "id > N").
            migrationBuilder.Sql("""
                CREATE FUNCTION job_events_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(1247001, 1);
                    NEW.id := nextval(pg_get_serial_sequence('job_events', 'id'));
                    RETURN NEW;
                END $$;
                CREATE TRIGGER job_events_commit_order BEFORE INSERT ON job_events
                    FOR EACH ROW EXECUTE FUNCTION job_events_commit_order();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_events");

            migrationBuilder.Sql("DROP FUNCTION IF EXISTS job_events_commit_order();");

            migrationBuilder.DropIndex(
                name: "idx_jobs_result_cache",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "cached_from_job_id",
                table: "automation_jobs");

            migrationBuilder.DropColumn(
                name: "result_key",
                table: "automation_jobs");
        }
    }
}
