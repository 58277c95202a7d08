using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ArtifactStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sha256",
                table: "job_artifacts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "storage_key",
                table: "job_artifacts",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "storage_type",
                table: "job_artifacts",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "idx_artifacts_storage_key",
                table: "job_artifacts",
                column: "storage_key",
                filter: "storage_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "idx_artifacts_storage_key",
                table: "job_artifacts");

            migrationBuilder.DropColumn(
                name: "sha256",
                table: "job_artifacts");

            migrationBuilder.DropColumn(
                name: "storage_key",
                table: "job_artifacts");

            migrationBuilder.DropColumn(
                name: "storage_type",
                table: "job_artifacts");
        }
    }
}
