using Microsoft.EntityFrameworkCore;

namespace PayTrack.Web.Data;

/// <summary>
/// Applies migrations and the first admin before the web server takes requests
/// (a lifecycle "starting" hook runs before every hosted service's start, Kestrel's included).
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<PayTrackDbContext> contexts,
    IServiceScopeFactory scopes,
    KeyRingMaintenance keyRing,
    ILogger<DatabaseMigrator> logger) : IHostedLifecycleService
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        var applied = await strategy.ExecuteAsync(db, static async (d, ct) =>
        {
            var pending = (await d.Database.GetPendingMigrationsAsync(ct)).Count();
            await d.Database.MigrateAsync(ct);
            return pending;
        }, cancellationToken);
        // Say what happened: a new database is created, an older one updated; "up to date" only when nothing was to do.
        if (applied == 0)
        {
            LogUpToDate(logger);
        }
        else
        {
            LogMigrated(logger, applied);
        }

        await keyRing.RunAsync(cancellationToken);

        await using var scope = scopes.CreateAsyncScope();
        foreach (var step in scope.ServiceProvider.GetServices<IAfterMigration>())
        {
            await step.RunAsync(cancellationToken);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema created or updated: {Applied} migrations applied")]
    private static partial void LogMigrated(ILogger logger, int applied);
}
