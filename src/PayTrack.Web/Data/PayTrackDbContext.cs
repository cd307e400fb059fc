using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Web.Data;

public sealed class PayTrackDbContext(DbContextOptions<PayTrackDbContext> options)
    : IdentityDbContext<AppUser>(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<KronosConnection> KronosConnections => Set<KronosConnection>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<RawPunch> RawPunches => Set<RawPunch>();

    public DbSet<RawPunchVersion> RawPunchVersions => Set<RawPunchVersion>();

    public DbSet<Shift> Shifts => Set<Shift>();

    public DbSet<OutTimeEntry> OutTimeEntries => Set<OutTimeEntry>();

    public DbSet<IngestBatch> IngestBatches => Set<IngestBatch>();

    public DbSet<IngestProblem> IngestProblems => Set<IngestProblem>();

    public DbSet<IngestRange> IngestRanges => Set<IngestRange>();

    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();

    public DbSet<SyncRunChunk> SyncRunChunks => Set<SyncRunChunk>();
    public DbSet<UserPaySettings> UserPaySettings => Set<UserPaySettings>();

    public DbSet<PayRateChange> PayRateChanges => Set<PayRateChange>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<NotionConnection> NotionConnections => Set<NotionConnection>();

    public DbSet<NotionPage> NotionPages => Set<NotionPage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PayTrackDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }
}
