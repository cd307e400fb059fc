using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PayTrack.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class HangfireMigration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Quartz created its own tables (qrtz_*) at scheduler start; Hangfire replaces it, so they go. Runs the old
            // queue still held have no Hangfire job to finish them: they end here, so they block no new request.
            migrationBuilder.Sql("""
                DO $$
                DECLARE t text;
                BEGIN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'qrtz\_%' LOOP
                        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t);
                    END LOOP;
                END $$;
                UPDATE job_runs SET status = 'failed', finished_at = now(),
                       error = 'Stopped when PayTrack moved its jobs to Hangfire. Start it again; it reads what is missing.'
                WHERE status IN ('queued', 'running');
                """);

            migrationBuilder.DropIndex(
                name: "ix_job_runs_queue",
                table: "job_runs");

            migrationBuilder.DropIndex(
                name: "ix_job_runs_running",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "heartbeat_at",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "node",
                table: "job_runs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatched_at",
                table: "job_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "heartbeat_at",
                table: "job_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "node",
                table: "job_runs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_queue",
                table: "job_runs",
                column: "id",
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_job_runs_running",
                table: "job_runs",
                column: "heartbeat_at",
                filter: "status = 'running'");
        }
    }
}
