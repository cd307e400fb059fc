using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PayTrack.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActiveRunsBySweep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_job_runs_active_by_sweep",
                table: "job_runs",
                columns: new[] { "sweep_id", "id" },
                filter: "sweep_id IS NOT NULL AND status IN ('queued', 'running')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_job_runs_active_by_sweep",
                table: "job_runs");
        }
    }
}
