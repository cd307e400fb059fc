using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Web.Data.Configurations;

internal sealed class NotionConnectionConfiguration : IEntityTypeConfiguration<NotionConnection>
{
    public void Configure(EntityTypeBuilder<NotionConnection> builder)
    {
        builder.ToTable("notion_connections");
        builder.HasIndex(c => c.UserId).IsUnique();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Status).HasConversion(DbNames.Converter<NotionConnectionStatus>());
    }
}

internal sealed class NotionPageConfiguration : IEntityTypeConfiguration<NotionPage>
{
    public void Configure(EntityTypeBuilder<NotionPage> builder)
    {
        builder.ToTable("notion_pages");
        builder.HasKey(p => new { p.UserId, p.Kind, p.PayTrackId });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Kind).HasConversion(DbNames.Converter<NotionPageKind>());
    }
}
