using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PayTrack.Web.Data;

namespace PayTrack.Web.Operations;

/// <summary>Ready only when every migration this build knows has been applied.</summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<PayTrackDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        return pending == 0
            ? HealthCheckResult.Healthy("All migrations applied.")
            : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
    }
}
