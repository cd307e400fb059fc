using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PayTrack.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TimecardsMigration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ingest_batches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    new_count = table.Column<int>(type: "integer", nullable: false),
                    changed_count = table.Column<int>(type: "integer", nullable: false),
                    unchanged_count = table.Column<int>(type: "integer", nullable: false),
                    shifts_written = table.Column<int>(type: "integer", nullable: false),
                    problem_count = table.Column<int>(type: "integer", nullable: false),
                    message = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_batches", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_batches_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    employee_id = table.Column<long>(type: "bigint", nullable: false),
                    pay_rule_id = table.Column<long>(type: "bigint", nullable: false),
                    first_name = table.Column<string>(type: "text", nullable: true),
                    badge_number = table.Column<long>(type: "bigint", nullable: true),
                    department = table.Column<string>(type: "text", nullable: true),
                    base_wage_rate = table.Column<decimal>(type: "numeric", nullable: true),
                    hire_date = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_jobs_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kronos_connections",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    base_url = table.Column<string>(type: "text", nullable: false),
                    username = table.Column<string>(type: "text", nullable: false),
                    protected_password = table.Column<string>(type: "text", nullable: false),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    login_path = table.Column<string>(type: "text", nullable: true),
                    employee_path = table.Column<string>(type: "text", nullable: true),
                    timecard_path = table.Column<string>(type: "text", nullable: true),
                    session_cookie_name = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_successful_sync_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kronos_connections", x => x.id);
                    table.ForeignKey(
                        name: "fk_kronos_connections_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "raw_punch_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    raw_punch_id = table.Column<long>(type: "bigint", nullable: false),
                    job_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    site_id = table.Column<string>(type: "text", nullable: true),
                    in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_reason = table.Column<string>(type: "text", nullable: false),
                    in_rounded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    out_rounded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    time_zone = table.Column<string>(type: "text", nullable: true),
                    edited = table.Column<bool>(type: "boolean", nullable: true),
                    updated_on = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    wire_day = table.Column<DateOnly>(type: "date", nullable: true),
                    source = table.Column<string>(type: "text", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_to = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    replaced_by_batch_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_raw_punch_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "raw_punches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    job_id = table.Column<long>(type: "bigint", nullable: false),
                    punch_key = table.Column<string>(type: "text", nullable: false),
                    site_id = table.Column<string>(type: "text", nullable: true),
                    in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_reason = table.Column<string>(type: "text", nullable: false),
                    in_rounded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    out_rounded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    time_zone = table.Column<string>(type: "text", nullable: true),
                    edited = table.Column<bool>(type: "boolean", nullable: true),
                    updated_on = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    wire_day = table.Column<DateOnly>(type: "date", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    first_batch_id = table.Column<long>(type: "bigint", nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_raw_punches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "shifts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    job_id = table.Column<long>(type: "bigint", nullable: false),
                    raw_punch_id = table.Column<long>(type: "bigint", nullable: true),
                    local_date = table.Column<DateOnly>(type: "date", nullable: false),
                    start_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    end_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    rounded_start_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    rounded_end_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    worked_minutes = table.Column<int>(type: "integer", nullable: false),
                    paid_minutes = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    edited = table.Column<bool>(type: "boolean", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    user_note = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shifts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ingest_problems",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    location = table.Column<string>(type: "text", nullable: false),
                    message = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_problems", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_problems_ingest_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "ingest_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ingest_ranges",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    job_id = table.Column<long>(type: "bigint", nullable: false),
                    from_date = table.Column<DateOnly>(type: "date", nullable: false),
                    to_date = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_ranges", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_ranges_ingest_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "ingest_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ingest_batches_user_id_started_at",
                table: "ingest_batches",
                columns: new[] { "user_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ingest_problems_batch_id",
                table: "ingest_problems",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_ranges_batch_id",
                table: "ingest_ranges",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_ranges_user_id_job_id_to_date",
                table: "ingest_ranges",
                columns: new[] { "user_id", "job_id", "to_date" });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_user_id_employee_id_pay_rule_id",
                table: "jobs",
                columns: new[] { "user_id", "employee_id", "pay_rule_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_kronos_connections_user_id",
                table: "kronos_connections",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_raw_punch_versions_user_id_raw_punch_id_version",
                table: "raw_punch_versions",
                columns: new[] { "user_id", "raw_punch_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_raw_punches_user_id_job_id_punch_key",
                table: "raw_punches",
                columns: new[] { "user_id", "job_id", "punch_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_shifts_user_id_local_date",
                table: "shifts",
                columns: new[] { "user_id", "local_date" });

            migrationBuilder.CreateIndex(
                name: "ix_shifts_user_id_raw_punch_id",
                table: "shifts",
                columns: new[] { "user_id", "raw_punch_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ingest_problems");

            migrationBuilder.DropTable(
                name: "ingest_ranges");

            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "kronos_connections");

            migrationBuilder.DropTable(
                name: "raw_punch_versions");

            migrationBuilder.DropTable(
                name: "raw_punches");

            migrationBuilder.DropTable(
                name: "shifts");

            migrationBuilder.DropTable(
                name: "ingest_batches");
        }
    }
}
