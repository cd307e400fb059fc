using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Notion;

/// <summary>Progress of a sync: writes done out of those planned.</summary>
public sealed record NotionSyncProgress(int Done, int Total);

/// <summary>What a sync wrote to Notion (a stopped one too, up to where it stopped).</summary>
public sealed record NotionSyncCounts(int Created, int Updated, int Trashed, int Unchanged)
{
    public static readonly NotionSyncCounts None = new(0, 0, 0, 0);
}

/// <summary>
/// Pushes a user's shifts and weeks to their Notion databases, writing only what changed since the last sync: pages
/// whose properties hash differs are updated, pages of deleted shifts go to the trash, new ones are created. A sync
/// with nothing changed sends no request at all. A create is recorded as started before it is sent; a create whose
/// answer never came is looked up by its PayTrack id before it is sent again, so no page is ever made twice.
/// One sync per user at a time, across nodes (a PostgreSQL advisory lock on the user).
/// </summary>
public sealed partial class NotionSync(
    NpgsqlDataSource dataSource,
    IDbContextFactory<PayTrackDbContext> contexts,
    NotionConnections connections,
    NotionDesiredState desired,
    NotionClient client,
    IOptions<NotionOptions> options,
    TimeProvider clock,
    ILogger<NotionSync> logger)
{
    private enum Op
    {
        Create,
        Update,
        Trash,
        Find,
    }

    private sealed record Work(Op Op, NotionPageKind Kind, long PayTrackId, string? PageId, DesiredPage? Page);

    /// <summary>Stops the whole sync: the token or the databases are gone, or Notion kept failing.</summary>
    private sealed record Stop(string Message, bool NeedsAttention);

    public async Task<Outcome<NotionSyncCounts>> RunAsync(string userId, IProgress<NotionSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var connection = await connections.FindAsync(userId, cancellationToken);
        if (connection is null)
        {
            return Outcome.NotFound("Notion is not connected for this account.").As(NotionSyncCounts.None);
        }

        var opened = connections.Open(connection);
        if (!opened.Succeeded)
        {
            await connections.RecordAsync(userId, NotionConnectionStatus.NeedsAttention, opened.Message, null, cancellationToken);
            return opened.WithoutValue().As(NotionSyncCounts.None);
        }

        await using var held = await SessionLock.TryAcquireAsync(dataSource, "notion:" + userId, cancellationToken);
        if (held is null)
        {
            return Outcome.Busy("A Notion sync of this account is already running.").As(NotionSyncCounts.None);
        }

        return await SyncAsync(userId, connection, opened.Value!, started, progress, cancellationToken);
    }

    private async Task<Outcome<NotionSyncCounts>> SyncAsync(string userId, NotionConnection connection, NotionSession session, DateTimeOffset started,
        IProgress<NotionSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var pages = await desired.LoadAsync(userId, cancellationToken);
        var known = await LoadKnownAsync(userId, cancellationToken);
        var plan = Plan(pages, known);
        var unchanged = pages.Count - plan.Count(w => w.Page is not null);
        var done = 0;
        progress?.Report(new NotionSyncProgress(0, plan.Count));
        var counts = new ConcurrentDictionary<Op, int>();
        Stop? stop = null;
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelRequests, CancellationToken = halt.Token }, async (work, token) =>
            {
                var (op, failure) = await RunAsync(userId, connection, session, work, token);
                if (failure is not null)
                {
                    stop ??= failure;
                    await halt.CancelAsync();
                    return;
                }

                counts.AddOrUpdate(op, 1, (_, n) => n + 1);
                progress?.Report(new NotionSyncProgress(Interlocked.Increment(ref done), plan.Count));
            });
        }
        catch (OperationCanceledException) when (stop is not null && !cancellationToken.IsCancellationRequested)
        {
        }

        var created = counts.GetValueOrDefault(Op.Create);
        var updated = counts.GetValueOrDefault(Op.Update);
        var trashed = counts.GetValueOrDefault(Op.Trash);
        if (stop is not null)
        {
            LogStopped(logger, userId, stop.Message);
            await connections.RecordAsync(userId, stop.NeedsAttention ? NotionConnectionStatus.NeedsAttention : NotionConnectionStatus.Failing, stop.Message, null, CancellationToken.None);
            return new Outcome<NotionSyncCounts>(OutcomeKind.Failed, stop.Message + Wrote(created, updated, trashed, " Before that, PayTrack "), new(created, updated, trashed, unchanged));
        }

        await connections.RecordAsync(userId, NotionConnectionStatus.Ok, null, started, cancellationToken);
        var message = plan.Count == 0 ? "Notion was already up to date; nothing was sent." : "Notion is up to date." + Wrote(created, updated, trashed, " PayTrack ");
        return Outcome.Of(new NotionSyncCounts(created, updated, trashed, unchanged), message);
    }

    private static string Wrote(int created, int updated, int trashed, string lead) =>
        created + updated + trashed == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"{lead}created {created} page(s), updated {updated} and moved {trashed} to the trash.");

    /// <summary>What to send: the difference between the pages wanted and the pages recorded.</summary>
    private static List<Work> Plan(IReadOnlyList<DesiredPage> pages, Dictionary<(NotionPageKind, long), NotionPage> known)
    {
        var plan = new List<Work>();
        var wanted = new HashSet<(NotionPageKind, long)>();
        foreach (var page in pages)
        {
            wanted.Add((page.Kind, page.PayTrackId));
            if (!known.TryGetValue((page.Kind, page.PayTrackId), out var row))
            {
                plan.Add(new Work(Op.Create, page.Kind, page.PayTrackId, null, page));
            }
            else if (row.NotionPageId is null)
            {
                plan.Add(new Work(Op.Find, page.Kind, page.PayTrackId, null, page));
            }
            else if (!string.Equals(row.ContentHash, page.Hash, StringComparison.Ordinal))
            {
                plan.Add(new Work(Op.Update, page.Kind, page.PayTrackId, row.NotionPageId, page));
            }
        }

        foreach (var row in known.Values.Where(r => !wanted.Contains((r.Kind, r.PayTrackId))))
        {
            plan.Add(row.NotionPageId is null
                ? new Work(Op.Find, row.Kind, row.PayTrackId, null, null)
                : new Work(Op.Trash, row.Kind, row.PayTrackId, row.NotionPageId, null));
        }

        return plan;
    }

    private async Task<(Op Op, Stop? Failure)> RunAsync(string userId, NotionConnection connection, NotionSession session, Work work, CancellationToken cancellationToken)
    {
        var dataSourceId = work.Kind == NotionPageKind.Shift ? connection.ShiftsDataSourceId : connection.WeeksDataSourceId;
        switch (work.Op)
        {
            case Op.Update:
            {
                var reply = await client.UpdatePageAsync(session, work.PageId!, work.Page!.Properties, cancellationToken);
                if (reply.Failure is NotionFailure.NotFound or NotionFailure.Rejected && await DataSourceReachableAsync(session, dataSourceId, cancellationToken) is null)
                {
                    // The page alone is gone (deleted or trashed in Notion by the user): make it again.
                    return await CreateAsync(userId, session, dataSourceId, work.Page, cancellationToken);
                }

                return await UpdatedAsync(userId, work, work.PageId!, reply, cancellationToken);
            }

            case Op.Trash:
            {
                var reply = await client.TrashPageAsync(session, work.PageId!, cancellationToken);
                if (!reply.Succeeded && !(reply.Failure == NotionFailure.NotFound && await DataSourceReachableAsync(session, dataSourceId, cancellationToken) is null))
                {
                    return (Op.Trash, StopFor(reply));
                }

                await ForgetAsync(userId, work.Kind, work.PayTrackId, cancellationToken);
                return (Op.Trash, null);
            }

            case Op.Find:
                return await FindThenWriteAsync(userId, session, dataSourceId, work, cancellationToken);

            default:
                return await CreateAsync(userId, session, dataSourceId, work.Page!, cancellationToken);
        }
    }

    /// <summary>A create that was started and never recorded: adopt the page if it landed, else create it; trash it if no longer wanted.</summary>
    private async Task<(Op Op, Stop? Failure)> FindThenWriteAsync(string userId, NotionSession session, string dataSourceId, Work work, CancellationToken cancellationToken)
    {
        var (pageId, failure) = await FindAsync(session, dataSourceId, work.PayTrackId, cancellationToken);
        if (failure is not null)
        {
            return (Op.Find, failure);
        }

        if (work.Page is null)
        {
            var trash = pageId is null ? null : await client.TrashPageAsync(session, pageId, cancellationToken);
            if (trash is { Succeeded: false })
            {
                return (Op.Trash, StopFor(trash));
            }

            await ForgetAsync(userId, work.Kind, work.PayTrackId, cancellationToken);
            return (Op.Trash, null);
        }

        if (pageId is null)
        {
            return await CreateAsync(userId, session, dataSourceId, work.Page, cancellationToken);
        }

        // The create landed before the crash; write the properties again (they may have changed since).
        var reply = await client.UpdatePageAsync(session, pageId, work.Page.Properties, cancellationToken);
        return await UpdatedAsync(userId, work, pageId, reply, cancellationToken);
    }

    /// <summary>Records the page's new hash when its update went through; else why the sync stops.</summary>
    private async Task<(Op Op, Stop? Failure)> UpdatedAsync(string userId, Work work, string pageId, NotionReply reply, CancellationToken cancellationToken)
    {
        if (!reply.Succeeded)
        {
            return (Op.Update, StopFor(reply));
        }

        await RecordAsync(userId, work.Kind, work.PayTrackId, pageId, work.Page!.Hash, cancellationToken);
        return (Op.Update, null);
    }

    /// <summary>Records the create as started, sends it, and when its fate is unknown looks for the page before sending it again.</summary>
    private async Task<(Op Op, Stop? Failure)> CreateAsync(string userId, NotionSession session, string dataSourceId, DesiredPage page, CancellationToken cancellationToken)
    {
        await RecordStartedAsync(userId, page.Kind, page.PayTrackId, cancellationToken);
        NotionReply? last = null;
        for (var attempt = 1; attempt <= options.Value.MaxAttempts; attempt++)
        {
            var reply = await client.CreatePageAsync(session, dataSourceId, page.Properties, cancellationToken);
            if (reply.Succeeded)
            {
                await RecordAsync(userId, page.Kind, page.PayTrackId, NotionRead.Id(reply.Body)!, page.Hash, cancellationToken);
                return (Op.Create, null);
            }

            if (reply.Failure != NotionFailure.Uncertain)
            {
                return (Op.Create, StopFor(reply));
            }

            last = reply;
            var (found, failure) = await FindAsync(session, dataSourceId, page.PayTrackId, cancellationToken);
            if (failure is not null)
            {
                return (Op.Create, failure);
            }

            if (found is not null)
            {
                await RecordAsync(userId, page.Kind, page.PayTrackId, found, page.Hash, cancellationToken);
                return (Op.Create, null);
            }

            await Task.Delay(options.Value.RetryBaseDelay * Math.Pow(2, attempt - 1), clock, cancellationToken);
        }

        return (Op.Create, StopFor(last! with { Failure = NotionFailure.Transient }));
    }

    /// <summary>The page with this PayTrack id, if Notion has one; extra copies (there should be none) go to the trash.</summary>
    private async Task<(string? PageId, Stop? Failure)> FindAsync(NotionSession session, string dataSourceId, long payTrackId, CancellationToken cancellationToken)
    {
        var reply = await client.QueryAsync(session, dataSourceId, NotionSchema.ByPayTrackId(payTrackId), null, cancellationToken);
        if (!reply.Succeeded)
        {
            return (null, StopFor(reply));
        }

        var found = NotionRead.Results(reply.Body!).Select(NotionRead.Id).OfType<string>().ToList();
        foreach (var extra in found.Skip(1))
        {
            await client.TrashPageAsync(session, extra, cancellationToken);
        }

        return (found.FirstOrDefault(), null);
    }

    /// <summary>Null when the data source still answers; else why the sync must stop.</summary>
    private async Task<Stop?> DataSourceReachableAsync(NotionSession session, string dataSourceId, CancellationToken cancellationToken)
    {
        var reply = await client.RetrieveDataSourceAsync(session, dataSourceId, cancellationToken);
        return reply.Succeeded ? null : StopFor(reply);
    }

    private static Stop StopFor(NotionReply reply) => reply.Failure switch
    {
        NotionFailure.Unauthorized => new Stop("Notion no longer accepts the saved integration token (it may have been revoked). Connect Notion again in Settings; nothing in PayTrack was lost.", true),
        NotionFailure.NotFound => new Stop("PayTrack's Notion databases are no longer shared with the integration (or were deleted). Share the page with the integration again and connect Notion again in Settings; nothing in PayTrack was lost.", true),
        NotionFailure.Rejected => new Stop("Notion refused a page PayTrack sent: " + (reply.Message ?? "no reason given") + ".", false),
        _ => new Stop(NotionConnections.Explain(reply, "PayTrack's databases"), false),
    };

    private async Task<Dictionary<(NotionPageKind, long), NotionPage>> LoadKnownAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotionPages.AsNoTracking().Where(p => p.UserId == userId).ToDictionaryAsync(p => (p.Kind, p.PayTrackId), cancellationToken);
    }

    private Task RecordStartedAsync(string userId, NotionPageKind kind, long payTrackId, CancellationToken cancellationToken) =>
        UpsertAsync(userId, kind, payTrackId, null, null, cancellationToken);

    private Task RecordAsync(string userId, NotionPageKind kind, long payTrackId, string pageId, string hash, CancellationToken cancellationToken) =>
        UpsertAsync(userId, kind, payTrackId, pageId, hash, cancellationToken);

    private async Task UpsertAsync(string userId, NotionPageKind kind, long payTrackId, string? pageId, string? hash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notion_pages (user_id, kind, pay_track_id, notion_page_id, content_hash, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (user_id, kind, pay_track_id) DO UPDATE
            SET notion_page_id = COALESCE(EXCLUDED.notion_page_id, notion_pages.notion_page_id),
                content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = DbNames.Of(kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = payTrackId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)pageId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)hash ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ForgetAsync(string userId, NotionPageKind kind, long payTrackId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM notion_pages WHERE user_id = $1 AND kind = $2 AND pay_track_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = DbNames.Of(kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = payTrackId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion sync of user {UserId} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string userId, string reason);
}
