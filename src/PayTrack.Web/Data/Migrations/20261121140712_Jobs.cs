using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PayTrack.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class JobsMigration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    sweep_id = table.Column<long>(type: "bigint", nullable: true),
                    trigger = table.Column<string>(type: "text", nullable: false),
                    requested_by = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    node = table.Column<string>(type: "text", nullable: true),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    scheduled_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fetched = table.Column<int>(type: "integer", nullable: false),
                    new_count = table.Column<int>(type: "integer", nullable: false),
                    changed_count = table.Column<int>(type: "integer", nullable: false),
                    unchanged_count = table.Column<int>(type: "integer", nullable: false),
                    steps_done = table.Column<int>(type: "integer", nullable: false),
                    steps_total = table.Column<int>(type: "integer", nullable: false),
                    failed_count = table.Column<int>(type: "integer", nullable: false),
                    range_start = table.Column<DateOnly>(type: "date", nullable: true),
                    range_end = table.Column<DateOnly>(type: "date", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_job_runs_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_job_runs_job_runs_sweep_id",
                        column: x => x.sweep_id,
                        principalTable: "job_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "job_run_chunks",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    seq = table.Column<int>(type: "integer", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    employee_id = table.Column<long>(type: "bigint", nullable: false),
                    pay_rule_id = table.Column<long>(type: "bigint", nullable: false),
                    range_start = table.Column<DateOnly>(type: "date", nullable: false),
                    range_end = table.Column<DateOnly>(type: "date", nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fetched = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_run_chunks", x => new { x.user_id, x.run_id, x.seq });
                    table.ForeignKey(
                        name: "fk_job_run_chunks_job_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "job_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_job_run_chunks_run_id",
                table: "job_run_chunks",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_one_active_catchup_per_user",
                table: "job_runs",
                column: "user_id",
                unique: true,
                filter: "kind = 'catchup' AND status IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_one_active_update_per_user",
                table: "job_runs",
                column: "user_id",
                unique: true,
                filter: "kind = 'update_punches' AND user_id IS NOT NULL AND status IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_queue",
                table: "job_runs",
                column: "id",
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_queued_at",
                table: "job_runs",
                column: "queued_at");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_running",
                table: "job_runs",
                column: "heartbeat_at",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_sweep_id_status",
                table: "job_runs",
                columns: new[] { "sweep_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_user_id_queued_at",
                table: "job_runs",
                columns: new[] { "user_id", "queued_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_run_chunks");

            migrationBuilder.DropTable(
                name: "job_runs");
        }
    }
}
