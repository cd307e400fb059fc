using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Web.Data.Configurations;

// The owner tables (connections, jobs, batches) cascade from the user. The bulk tables (raw punches, their
// versions, shifts, ranges) carry no foreign keys on purpose: PostgreSQL checks a foreign key with a trigger per
// row, measured at about 6.5 µs a row here, which alone tripled the time of a million-punch ingest. Their only
// writer is TimecardIngest (and ManualShifts), which resolves every job id for the user inside the same
// transaction. Every unique key starts with the user.

internal sealed class KronosConnectionConfiguration : IEntityTypeConfiguration<KronosConnection>
{
    public void Configure(EntityTypeBuilder<KronosConnection> builder)
    {
        builder.HasIndex(c => c.UserId).IsUnique();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Status).HasConversion(DbNames.Converter<KronosConnectionStatus>());
    }
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasIndex(j => new { j.UserId, j.EmployeeId, j.PayRuleId }).IsUnique();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(j => j.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RawPunchConfiguration : IEntityTypeConfiguration<RawPunch>
{
    public void Configure(EntityTypeBuilder<RawPunch> builder)
    {
        builder.HasIndex(p => new { p.UserId, p.JobId, p.PunchKey }).IsUnique();
        builder.Property(p => p.Source).HasConversion(DbNames.Converter<ShiftSource>());
    }
}

internal sealed class RawPunchVersionConfiguration : IEntityTypeConfiguration<RawPunchVersion>
{
    public void Configure(EntityTypeBuilder<RawPunchVersion> builder)
    {
        builder.HasIndex(v => new { v.UserId, v.RawPunchId, v.Version }).IsUnique();
        builder.Property(p => p.Source).HasConversion(DbNames.Converter<ShiftSource>());
    }
}

internal sealed class ShiftConfiguration : IEntityTypeConfiguration<Shift>
{
    public void Configure(EntityTypeBuilder<Shift> builder)
    {
        // Nulls are distinct in a unique index, so manual shifts (no raw punch) never collide.
        builder.HasIndex(s => new { s.UserId, s.RawPunchId }).IsUnique();
        // The dashboards' query: one user's shifts in a date range.
        builder.HasIndex(s => new { s.UserId, s.LocalDate });
        builder.Property(s => s.Status).HasConversion(DbNames.Converter<ShiftStatus>());
        builder.Property(s => s.Source).HasConversion(DbNames.Converter<ShiftSource>());
    }
}

internal sealed class IngestBatchConfiguration : IEntityTypeConfiguration<IngestBatch>
{
    public void Configure(EntityTypeBuilder<IngestBatch> builder)
    {
        builder.HasIndex(b => new { b.UserId, b.StartedAt });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(b => b.Source).HasConversion(DbNames.Converter<ShiftSource>());
        builder.Property(b => b.Status).HasConversion(DbNames.Converter<IngestBatchStatus>());
    }
}

internal sealed class IngestProblemConfiguration : IEntityTypeConfiguration<IngestProblem>
{
    public void Configure(EntityTypeBuilder<IngestProblem> builder)
    {
        builder.HasOne<IngestBatch>().WithMany().HasForeignKey(p => p.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IngestRangeConfiguration : IEntityTypeConfiguration<IngestRange>
{
    public void Configure(EntityTypeBuilder<IngestRange> builder)
    {
        builder.HasIndex(r => new { r.UserId, r.JobId, r.ToDate });
        builder.HasOne<IngestBatch>().WithMany().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutTimeEntryConfiguration : IEntityTypeConfiguration<OutTimeEntry>
{
    public void Configure(EntityTypeBuilder<OutTimeEntry> builder)
    {
        // At most one entry in force per punch; replaced ones are history.
        builder.HasIndex(e => new { e.UserId, e.RawPunchId }).IsUnique().HasFilter("replaced_at IS NULL");
        builder.HasOne<AppUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
