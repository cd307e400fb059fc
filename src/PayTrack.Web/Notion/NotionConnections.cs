using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Notion;

public sealed record NotionConnectionInput(string Token, string ParentPage, string? BaseUrl);

/// <summary>
/// What the dashboard's banner says when the user's Notion connection needs them (a revoked token, a page no longer
/// shared), or null when it does not. Every dashboard render asks, so it is one column in the overview's round trip.
/// </summary>
public sealed class NotionAttentionRead : ReadAlongside
{
    private const string Sql = "SELECT coalesce(last_error, '') FROM notion_connections WHERE user_id = $1 AND status = $2";

    /// <summary>Null until read, and when the connection is fine or there is none.</summary>
    public string? Attention { get; private set; }

    public override NpgsqlBatchCommand Statement(string userId)
    {
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DbNames.Of(NotionConnectionStatus.NeedsAttention) });
        return command;
    }

    public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Attention = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
    }
}

/// <summary>
/// A user's Notion connection: checking a token and page, creating or adopting the two databases, and keeping the
/// token encrypted with Data Protection under a purpose of its own and the user's id, so one user's ciphertext does
/// not open as another's. The token is never shown again, logged or exported.
/// </summary>
public sealed partial class NotionConnections(
    IDbContextFactory<PayTrackDbContext> contexts,
    IDataProtectionProvider protection,
    NotionClient client,
    IOptions<NotionOptions> options,
    IBackgroundJobClient jobs,
    TimeProvider clock)
{
    private const string Purpose = "PayTrack.NotionConnection.Token.v1";

    public async Task<NotionConnection?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotionConnections.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
    }

    /// <summary>The session to call Notion with, or the reason when the token cannot be read back.</summary>
    public Outcome<NotionSession> Open(NotionConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            return Outcome.Of(new NotionSession(connection.BaseUrl, Protector(connection.UserId).Unprotect(connection.ProtectedToken)));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return Outcome.Refused("PayTrack can no longer read the saved Notion token. Connect Notion again in Settings.");
        }
    }

    /// <summary>
    /// Checks the token and the page, finds PayTrack's two databases under the page (by their PayTrack id property)
    /// or creates them, and saves the connection. Nothing is saved unless every step worked.
    /// </summary>
    public async Task<Outcome> ConnectAsync(string userId, NotionConnectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var token = input.Token.Trim();
        if (TokenProblem(token) is { } tokenProblem)
        {
            return Outcome.Invalid(tokenProblem);
        }

        if (ParsePageId(input.ParentPage) is not { } pageId)
        {
            return Outcome.Invalid("That is not a Notion page id. Paste the page's link (Share, Copy link) or the 32 letters and digits at its end.");
        }

        var baseUrl = string.IsNullOrWhiteSpace(input.BaseUrl) ? options.Value.BaseUrl : input.BaseUrl.Trim();
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return Outcome.Invalid("The API address must be a full http(s) URL, for example https://api.notion.com.");
        }

        if (Kronos.OutboundGuard.Problem(url, options.Value.AllowPrivateAddresses) is { } refused)
        {
            return Outcome.Refused(refused);
        }

        var session = new NotionSession(baseUrl, token);
        var page = await client.RetrievePageAsync(session, pageId, cancellationToken);
        if (!page.Succeeded)
        {
            return Outcome.Failed(Explain(page, "the page"));
        }

        var shifts = await FindOrCreateAsync(session, pageId, NotionSchema.ShiftsTitle, NotionSchema.ShiftsDatabase(pageId), cancellationToken);
        if (shifts.Problem is not null)
        {
            return Outcome.Failed(shifts.Problem);
        }

        var weeks = await FindOrCreateAsync(session, pageId, NotionSchema.WeeksTitle, NotionSchema.WeeksDatabase(pageId), cancellationToken);
        if (weeks.Problem is not null)
        {
            return Outcome.Failed(weeks.Problem);
        }

        var known = new List<NotionPage>();
        foreach (var (source, kind) in new[] { (shifts, NotionPageKind.Shift), (weeks, NotionPageKind.Week) })
        {
            if (source.Adopted && await ReadExistingAsync(session, userId, source.DataSourceId!, kind, known, cancellationToken) is { } problem)
            {
                return Outcome.Failed(problem);
            }
        }

        await SaveAsync(userId, baseUrl, pageId, token, shifts, weeks, known, cancellationToken);
        ScheduleFirstSync(userId);
        var adopted = shifts.Adopted || weeks.Adopted ? "found PayTrack's databases under the page" : "created \"PayTrack shifts\" and \"PayTrack weeks\" under the page";
        return Outcome.Ok($"Connected to Notion and {adopted}.");
    }

    private static string? TokenProblem(string token) => token switch
    {
        "" => "The integration token is required.",
        _ when token.Length > 200 || token.Any(char.IsWhiteSpace) =>
            "That does not look like a Notion integration token. Copy the Internal Integration Secret from notion.so/my-integrations.",
        _ => null,
    };

    /// <summary>The first sync after connecting: the connection was saved with its request for one.</summary>
    private void ScheduleFirstSync(string userId)
    {
        if (options.Value.SyncAfterChanges)
        {
            NotionSyncJob.Schedule(jobs, userId, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Forgets the token and what was written; the pages stay in Notion, and connecting again adopts them. Both go
    /// together: a connection left without its record of pages would make every page again on its next sync.
    /// </summary>
    public async Task<Outcome> DisconnectAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.NotionPages.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var removed = await db.NotionConnections.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed ? Outcome.Ok() : Outcome.NotFound("There is no Notion connection to forget.");
    }

    /// <summary>
    /// Asks for a sync of a connected user's Notion. True when this is the first request since the last sync started
    /// (the caller schedules the job); false when one is already pending (it will carry this change too), or when
    /// there is nothing to sync to (no connection, or one that needs the user's attention).
    /// </summary>
    public async Task<bool> AskForSyncAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lapsed = now - options.Value.PendingRequestLapse;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotionConnections
            .Where(c => c.UserId == userId && c.Status != NotionConnectionStatus.NeedsAttention && (c.SyncRequestedAt == null || c.SyncRequestedAt < lapsed))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.SyncRequestedAt, now), cancellationToken) > 0;
    }

    /// <summary>Whether a change asked for a sync that no sync has started on since, on a connection that can still be synced.</summary>
    public async Task<bool> IsSyncPendingAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotionConnections.AnyAsync(
            c => c.UserId == userId && c.SyncRequestedAt != null && c.Status != NotionConnectionStatus.NeedsAttention, cancellationToken);
    }

    /// <summary>Records how the last sync went; <paramref name="syncStartedAt"/> clears a request made before it started.</summary>
    public async Task RecordAsync(string userId, NotionConnectionStatus status, string? error, DateTimeOffset? syncStartedAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.NotionConnections.Where(c => c.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, status)
            .SetProperty(c => c.LastError, error)
            .SetProperty(c => c.LastErrorAt, c => error == null ? c.LastErrorAt : now)
            .SetProperty(c => c.LastSyncedAt, c => error == null ? now : c.LastSyncedAt)
            .SetProperty(c => c.SyncRequestedAt, c => syncStartedAt != null && c.SyncRequestedAt <= syncStartedAt ? null : c.SyncRequestedAt)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }

    /// <summary>A Notion page id from a bare id (with or without dashes) or a page link; null when there is none.</summary>
    public static string? ParsePageId(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (Guid.TryParse(trimmed, out var direct))
        {
            return direct.ToString("D");
        }

        var match = TrailingId().Match(trimmed.Split('?', '#')[0]);
        return match.Success && Guid.TryParseExact(match.Groups["id"].Value, "N", out var fromLink) ? fromLink.ToString("D") : null;
    }

    /// <summary>A failed call in words for the user, about <paramref name="what"/>.</summary>
    public static string Explain(NotionReply reply, string what)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Failure switch
        {
            NotionFailure.Unauthorized => "Notion did not accept the integration token: it may be mistyped or revoked. Copy the Internal Integration Secret again from notion.so/my-integrations and connect again.",
            NotionFailure.NotFound => $"Notion says {what} does not exist or is not shared with the integration. In Notion, open the page, choose ... > Connections and add your integration, then connect again.",
            NotionFailure.Rejected => $"Notion refused the request for {what}: {reply.Message ?? "no reason given"}",
            _ => "Notion could not be reached or kept failing (" + (reply.Code ?? reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "). Nothing was lost; try again in a few minutes.",
        };
    }

    private IDataProtector Protector(string userId) => protection.CreateProtector(Purpose, userId);

    private sealed record FoundSource(string? DatabaseId, string? DataSourceId, bool Adopted, string? Problem);

    private async Task<FoundSource> FindOrCreateAsync(NotionSession session, string pageId, string title, JsonObject body, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var children = await client.ChildBlocksAsync(session, pageId, cursor, cancellationToken);
            if (!children.Succeeded)
            {
                return new FoundSource(null, null, false, Explain(children, "the page"));
            }

            foreach (var block in NotionRead.Results(children.Body!))
            {
                if (block["type"]?.GetValue<string>() != "child_database" || block["child_database"]?["title"]?.GetValue<string>() != title)
                {
                    continue;
                }

                var found = await AdoptableAsync(session, NotionRead.Id(block)!, cancellationToken);
                if (found is not null)
                {
                    return found;
                }
            }

            cursor = NotionRead.NextCursor(children.Body!);
        }
        while (cursor is not null);

        var created = await client.CreateDatabaseAsync(session, body, cancellationToken);
        if (!created.Succeeded)
        {
            return new FoundSource(null, null, false, Explain(created, $"the new database \"{title}\""));
        }

        var sourceId = (created.Body!["data_sources"] as JsonArray)?.FirstOrDefault()?["id"]?.GetValue<string>();
        return sourceId is null
            ? new FoundSource(null, null, false, "Notion created the database but did not say where its data lives; is the Notion-Version setting 2025-09-03 or later?")
            : new FoundSource(NotionRead.Id(created.Body), sourceId, false, null);
    }

    /// <summary>A database of ours: its data source has the PayTrack id property as a number.</summary>
    private async Task<FoundSource?> AdoptableAsync(NotionSession session, string databaseId, CancellationToken cancellationToken)
    {
        var database = await client.RetrieveDatabaseAsync(session, databaseId, cancellationToken);
        if (!database.Succeeded || database.Body!["in_trash"]?.GetValue<bool>() == true)
        {
            return null;
        }

        foreach (var entry in (database.Body["data_sources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var source = await client.RetrieveDataSourceAsync(session, NotionRead.Id(entry)!, cancellationToken);
            if (source.Succeeded && source.Body!["properties"]?[NotionSchema.PayTrackId]?["type"]?.GetValue<string>() == "number")
            {
                return new FoundSource(databaseId, NotionRead.Id(source.Body), true, null);
            }
        }

        return null;
    }

    /// <summary>The pages an adopted database already holds, by PayTrack id; a second page with the same id goes to the trash.</summary>
    private async Task<string?> ReadExistingAsync(NotionSession session, string userId, string dataSourceId, NotionPageKind kind, List<NotionPage> known, CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        string? cursor = null;
        do
        {
            var list = await client.QueryAsync(session, dataSourceId, null, cursor, cancellationToken);
            if (!list.Succeeded)
            {
                return Explain(list, "a PayTrack database");
            }

            foreach (var page in NotionRead.Results(list.Body!))
            {
                if (NotionRead.Number(page, NotionSchema.PayTrackId) is not { } id)
                {
                    continue;
                }

                if (!seen.Add(id))
                {
                    await client.TrashPageAsync(session, NotionRead.Id(page)!, cancellationToken);
                    continue;
                }

                known.Add(new NotionPage { UserId = userId, Kind = kind, PayTrackId = id, NotionPageId = NotionRead.Id(page), UpdatedAt = clock.GetUtcNow() });
            }

            cursor = NotionRead.NextCursor(list.Body!);
        }
        while (cursor is not null);
        return null;
    }

    private async Task SaveAsync(string userId, string baseUrl, string pageId, string token, FoundSource shifts, FoundSource weeks, List<NotionPage> known, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = await db.NotionConnections.FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        var sameDatabases = connection is not null
            && connection.ShiftsDataSourceId == shifts.DataSourceId && connection.WeeksDataSourceId == weeks.DataSourceId;
        if (connection is null)
        {
            connection = new NotionConnection
            {
                UserId = userId,
                BaseUrl = baseUrl,
                ParentPageId = pageId,
                ProtectedToken = "",
                ShiftsDatabaseId = shifts.DatabaseId!,
                ShiftsDataSourceId = shifts.DataSourceId!,
                WeeksDatabaseId = weeks.DatabaseId!,
                WeeksDataSourceId = weeks.DataSourceId!,
                CreatedAt = now,
            };
            db.NotionConnections.Add(connection);
        }

        connection.BaseUrl = baseUrl;
        connection.ParentPageId = pageId;
        connection.ProtectedToken = Protector(userId).Protect(token);
        connection.ShiftsDatabaseId = shifts.DatabaseId!;
        connection.ShiftsDataSourceId = shifts.DataSourceId!;
        connection.WeeksDatabaseId = weeks.DatabaseId!;
        connection.WeeksDataSourceId = weeks.DataSourceId!;
        connection.Status = NotionConnectionStatus.Ok;
        connection.LastError = null;
        connection.SyncRequestedAt = now;
        connection.UpdatedAt = now;
        if (!sameDatabases)
        {
            // Other databases: what PayTrack remembers of the old ones means nothing there. Pages found in adopted
            // databases are known with no hash, so the first sync rewrites each once and creates none twice.
            await db.NotionPages.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            db.NotionPages.AddRange(known);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [GeneratedRegex("(?<id>[0-9a-fA-F]{32})/?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TrailingId();
}
