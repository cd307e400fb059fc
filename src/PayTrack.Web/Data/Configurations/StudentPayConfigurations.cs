using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Web.Data.Configurations;

internal sealed class StudentPaySettingsConfiguration : IEntityTypeConfiguration<StudentPaySettings>
{
    public void Configure(EntityTypeBuilder<StudentPaySettings> builder)
    {
        builder.ToTable("student_pay_settings");
        builder.HasKey(s => s.UserId);
        builder.HasOne<AppUser>().WithOne().HasForeignKey<StudentPaySettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.OvertimeRule).HasConversion(DbNames.Converter<OvertimeRule>()).HasMaxLength(20);
        builder.Property(s => s.BreakCapHours).HasPrecision(6, 2);
        builder.Property(s => s.WithholdingPercent).HasPrecision(5, 2);
    }
}

internal sealed class UserTermConfiguration : IEntityTypeConfiguration<UserTerm>
{
    public void Configure(EntityTypeBuilder<UserTerm> builder)
    {
        builder.ToTable("terms");
        builder.HasIndex(t => new { t.UserId, t.FirstDay });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Name).HasMaxLength(UserTerm.MaxNameLength);
    }
}

internal sealed class UserWorkStudyAwardConfiguration : IEntityTypeConfiguration<UserWorkStudyAward>
{
    public void Configure(EntityTypeBuilder<UserWorkStudyAward> builder)
    {
        builder.ToTable("work_study_awards");
        builder.HasIndex(a => a.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Name).HasMaxLength(UserWorkStudyAward.MaxNameLength);
        builder.Property(a => a.Amount).HasPrecision(12, 2);
    }
}

internal sealed class UserPayStubConfiguration : IEntityTypeConfiguration<UserPayStub>
{
    public void Configure(EntityTypeBuilder<UserPayStub> builder)
    {
        builder.ToTable("pay_stubs");
        builder.HasIndex(s => new { s.UserId, s.PeriodStart });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Hours).HasPrecision(8, 2);
        builder.Property(s => s.GrossPay).HasPrecision(12, 2);
    }
}

internal sealed class CalendarFeedTokenConfiguration : IEntityTypeConfiguration<CalendarFeedToken>
{
    public void Configure(EntityTypeBuilder<CalendarFeedToken> builder)
    {
        builder.ToTable("calendar_feed_tokens");
        builder.HasIndex(t => t.UserId).IsUnique();
        builder.HasIndex(t => t.TokenHash);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Prefix).HasMaxLength(16);
    }
}
