using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Web.Data.Configurations;

internal sealed class UserPaySettingsConfiguration : IEntityTypeConfiguration<UserPaySettings>
{
    public void Configure(EntityTypeBuilder<UserPaySettings> builder)
    {
        builder.ToTable("user_pay_settings");
        builder.HasKey(s => s.UserId);
        builder.HasOne<AppUser>().WithOne().HasForeignKey<UserPaySettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.PeriodKind).HasConversion(DbNames.Converter<PayPeriodKind>());
        builder.Property(s => s.WorkweekStart).HasConversion(DbNames.Converter<DayOfWeek>());
        builder.Property(s => s.WeeklyCapHours).HasPrecision(6, 2);
        builder.Property(s => s.NearCapMarginHours).HasPrecision(6, 2);
    }
}

internal sealed class PayRateChangeConfiguration : IEntityTypeConfiguration<PayRateChange>
{
    public void Configure(EntityTypeBuilder<PayRateChange> builder)
    {
        builder.ToTable("pay_rate_changes");
        builder.HasIndex(r => new { r.UserId, r.JobId, r.EffectiveFrom }).IsUnique();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Job>().WithMany().HasForeignKey(r => r.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.HourlyRate).HasPrecision(12, 4);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasIndex(t => t.UserId);
        // Looked up by hash on every API call. Not unique on purpose: unique keys include the user, and 256-bit
        // random tokens do not collide; the lookup takes the one row that matches.
        builder.HasIndex(t => t.TokenHash);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Prefix).HasMaxLength(16);
    }
}

/// <summary>
/// The overview lists a user's problem shifts (missed out-punches, anomalies) and counts older ones on every load:
/// a partial index holds only those rows, so neither reads the user's whole history.
/// </summary>
internal sealed class ShiftProblemIndexConfiguration : IEntityTypeConfiguration<Shift>
{
    public void Configure(EntityTypeBuilder<Shift> builder) =>
        builder.HasIndex(s => new { s.UserId, s.LocalDate }, "ix_shifts_problems")
            .HasFilter("status IN ('missing_out', 'anomaly')");
}
