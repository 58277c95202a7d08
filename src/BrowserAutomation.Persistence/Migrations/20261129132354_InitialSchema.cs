using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "browser_types",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    device_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false, defaultValue: "desktop"),
                    device_descriptor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    user_agent = table.Column<string>(type: "text", nullable: true),
                    viewport_width = table.Column<int>(type: "integer", nullable: true),
                    viewport_height = table.Column<int>(type: "integer", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_browser_types", x => x.id);
                    table.CheckConstraint("ck_browser_types_type", "type IN ('chromium', 'firefox', 'webkit')");
                });

            migrationBuilder.CreateTable(
                name: "inbox_states",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    received = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    receive_count = table.Column<int>(type: "integer", nullable: false),
                    consumed = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_states", x => new { x.message_id, x.consumer_id });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence_number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    deliver_after = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    content_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    headers = table.Column<string>(type: "text", nullable: true),
                    properties = table.Column<string>(type: "text", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    initiator_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    destination_address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    response_address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    fault_address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    sent_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expiration_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.sequence_number);
                });

            migrationBuilder.CreateTable(
                name: "automation_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    browser_type_id = table.Column<int>(type: "integer", nullable: false),
                    target_url = table.Column<string>(type: "text", nullable: false),
                    action_type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false, defaultValue: "actions"),
                    actions = table.Column<string>(type: "jsonb", nullable: false),
                    options = table.Column<string>(type: "jsonb", nullable: true),
                    wait_until = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false, defaultValue: "networkidle"),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false, defaultValue: "pending"),
                    priority = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    retry_count = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    max_retries = table.Column<int>(type: "integer", nullable: false, defaultValue: 3),
                    timeout_ms = table.Column<int>(type: "integer", nullable: false, defaultValue: 30000),
                    attempt = table.Column<int>(type: "integer", nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    error_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    result = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_automation_jobs", x => x.id);
                    table.CheckConstraint("actions_is_array", "jsonb_typeof(actions) = 'array'");
                    table.ForeignKey(
                        name: "FK_automation_jobs_browser_types_browser_type_id",
                        column: x => x.browser_type_id,
                        principalTable: "browser_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "browser_workers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    browser_type_id = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false, defaultValue: "idle"),
                    current_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_heartbeat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    metadata = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_browser_workers", x => x.id);
                    table.ForeignKey(
                        name: "FK_browser_workers_automation_jobs_current_job_id",
                        column: x => x.current_job_id,
                        principalTable: "automation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_browser_workers_browser_types_browser_type_id",
                        column: x => x.browser_type_id,
                        principalTable: "browser_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "job_artifacts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    artifact_type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    file_path = table.Column<string>(type: "text", nullable: true),
                    file_data = table.Column<byte[]>(type: "bytea", nullable: true),
                    mime_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    step_index = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_artifacts", x => x.id);
                    table.ForeignKey(
                        name: "FK_job_artifacts_automation_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "automation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "job_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    metadata = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_logs", x => x.id);
                    table.ForeignKey(
                        name: "FK_job_logs_automation_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "automation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "browser_types",
                columns: new[] { "id", "created_at", "device_descriptor", "device_type", "is_active", "name", "type", "updated_at", "user_agent", "viewport_height", "viewport_width" },
                values: new object[,]
                {
                    { 1, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, "desktop", true, "Chromium", "chromium", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 1080, 1920 },
                    { 2, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, "desktop", true, "Firefox", "firefox", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 1080, 1920 },
                    { 3, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, "desktop", true, "WebKit", "webkit", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 1080, 1920 },
                    { 4, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), "Pixel 7", "mobile", true, "Mobile Chrome", "chromium", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 667, 375 },
                    { 5, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, "mobile", true, "Mobile Firefox", "firefox", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 667, 375 },
                    { 6, new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), "iPhone 13", "mobile", true, "Mobile Safari", "webkit", new DateTime(2026, 11, 29, 0, 0, 0, 0, DateTimeKind.Utc), null, 844, 390 }
                });

            migrationBuilder.CreateIndex(
                name: "idx_jobs_browser_type",
                table: "automation_jobs",
                column: "browser_type_id");

            migrationBuilder.CreateIndex(
                name: "idx_jobs_created_at",
                table: "automation_jobs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "idx_jobs_priority_created",
                table: "automation_jobs",
                columns: new[] { "priority", "created_at" },
                descending: new[] { true, false },
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "idx_jobs_status",
                table: "automation_jobs",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_browser_types_name",
                table: "browser_types",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "idx_workers_browser_type",
                table: "browser_workers",
                column: "browser_type_id");

            migrationBuilder.CreateIndex(
                name: "idx_workers_status",
                table: "browser_workers",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_browser_workers_current_job_id",
                table: "browser_workers",
                column: "current_job_id");

            migrationBuilder.CreateIndex(
                name: "idx_inbox_received",
                table: "inbox_states",
                column: "received");

            migrationBuilder.CreateIndex(
                name: "idx_artifacts_job_id",
                table: "job_artifacts",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "idx_logs_created_at",
                table: "job_logs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "idx_logs_job_id",
                table: "job_logs",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "idx_outbox_deliver_after",
                table: "outbox_messages",
                columns: new[] { "deliver_after", "sequence_number" });

            // Every commit that adds outbox rows wakes the dispatchers of all processes (NOTIFY is sent on commit).
            migrationBuilder.Sql("""
                CREATE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('outbox_messages', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER outbox_messages_inserted AFTER INSERT ON outbox_messages
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_inserted ON outbox_messages; DROP FUNCTION IF EXISTS outbox_messages_notify();");

            migrationBuilder.DropTable(
                name: "browser_workers");

            migrationBuilder.DropTable(
                name: "inbox_states");

            migrationBuilder.DropTable(
                name: "job_artifacts");

            migrationBuilder.DropTable(
                name: "job_logs");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "automation_jobs");

            migrationBuilder.DropTable(
                name: "browser_types");
        }
    }
}
