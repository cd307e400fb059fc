using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Web.Data.Configurations;

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("job_runs");
        builder.Property(r => r.Kind).HasConversion(DbNames.Converter<SyncKind>());
        builder.Property(r => r.Trigger).HasConversion(DbNames.Converter<SyncTrigger>());
        builder.Property(r => r.Status).HasConversion(DbNames.Converter<SyncStatus>());
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SyncRun>().WithMany().HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.Cascade);

        // One catchup per user at a time, across every node: a second request hits this index.
        builder.HasIndex(r => r.UserId, "ix_job_runs_one_active_catchup_per_user")
            .IsUnique()
            .HasFilter("kind = 'catchup' AND status IN ('queued', 'running')");

        // One update per user at a time, so a "Run now" during the nightly run adds no second copy.
        builder.HasIndex(r => r.UserId, "ix_job_runs_one_active_update_per_user")
            .IsUnique()
            .HasFilter("kind = 'update_punches' AND user_id IS NOT NULL AND status IN ('queued', 'running')");

        builder.HasIndex(r => r.QueuedAt);
        builder.HasIndex(r => new { r.UserId, r.QueuedAt });
        builder.HasIndex(r => new { r.SweepId, r.Status });

        // "Has this sweep a user still to end?", asked as every user's update ends: the sweep's newest active run, read
        // from here in id order, so one probe rather than a scan of the table (see SyncRuns.TryFinishSweepAsync).
        builder.HasIndex(r => new { r.SweepId, r.Id }, "ix_job_runs_active_by_sweep")
            .HasFilter("sweep_id IS NOT NULL AND status IN ('queued', 'running')");
    }
}

internal sealed class SyncRunChunkConfiguration : IEntityTypeConfiguration<SyncRunChunk>
{
    public void Configure(EntityTypeBuilder<SyncRunChunk> builder)
    {
        builder.ToTable("job_run_chunks");
        builder.HasKey(c => new { c.UserId, c.RunId, c.Seq });
        builder.HasOne<SyncRun>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
