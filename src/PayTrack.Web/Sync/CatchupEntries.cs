using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Connections;

namespace PayTrack.Web.Sync;

/// <summary>
/// The Hangfire Dashboard cannot pass arguments to a job, so each user with a Kronos connection gets a recurring entry
/// <c>catchup:&lt;email&gt;</c> that never fires on its own (<see cref="Cron.Never"/>); its "Trigger now" starts that
/// user's catchup. An entry appears when a connection is saved and goes with the account; <see cref="ReconcileAsync"/>
/// puts the entries right at start-up after changes made elsewhere (a restored backup, a changed e-mail).
/// </summary>
public sealed partial class CatchupEntries(
    IRecurringJobManager recurring,
    JobStorage storage,
    NpgsqlDataSource dataSource,
    IOptions<SyncOptions> options,
    ILogger<CatchupEntries> logger)
{
    public const string Prefix = "catchup:";

    public static string Id(string email) => Prefix + email;

    public async Task AddAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(email, user_name) FROM identity_users WHERE id = @id");
        command.Parameters.AddWithValue("id", userId);
        if (await command.ExecuteScalarAsync(cancellationToken) is string email)
        {
            Add(userId, email);
        }
    }

    public void Add(string userId, string email) =>
        recurring.AddOrUpdate(Id(email), Hangfire.Common.Job.FromExpression<CatchupJob>(j => j.TriggerAsync(userId, null, CancellationToken.None), options.Value.CatchupQueue),
            Cron.Never(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

    public void Remove(string email) => recurring.RemoveIfExists(Id(email));

    /// <summary>One entry per user with a connection, and none for anyone else. Returns the entries added and removed.</summary>
    public async Task<(int Added, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (userId, email) in await KronosConnections.UsersAsync(dataSource, cancellationToken))
        {
            wanted[Id(email)] = userId;
        }

        HashSet<string> present;
        using (var connection = storage.GetConnection())
        {
            present = connection.GetAllItemsFromSet("recurring-jobs").Where(id => id.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        }

        var added = 0;
        foreach (var (id, userId) in wanted.Where(w => !present.Contains(w.Key)))
        {
            Add(userId, id[Prefix.Length..]);
            added++;
        }

        var removed = 0;
        foreach (var id in present.Where(p => !wanted.ContainsKey(p)))
        {
            recurring.RemoveIfExists(id);
            removed++;
        }

        if (added + removed > 0)
        {
            LogReconciled(logger, added, removed);
        }

        return (added, removed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire Dashboard: {Added} catchup entries added, {Removed} removed")]
    private static partial void LogReconciled(ILogger logger, int added, int removed);
}
