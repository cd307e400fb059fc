using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;
using Hangfire;
using Hangfire.Storage;

namespace PayTrack.Web.Sync;

/// <summary>A run as the admin pages list it.</summary>
public sealed record RunRow(
    long Id,
    SyncKind Kind,
    string? UserId,
    string? Email,
    long? SweepId,
    SyncTrigger Trigger,
    string? RequestedBy,
    SyncStatus Status,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    RunCounts Counts,
    int StepsDone,
    int StepsTotal,
    int FailedCount,
    DateOnly? RangeStart,
    DateOnly? RangeEnd,
    string? Error)
{
    public bool IsSweep => Kind == SyncKind.UpdatePunches && UserId is null;

    public bool IsActive => Status is SyncStatus.Queued or SyncStatus.Running;

    public SyncEvent Event => new(Id, SyncRuns.Name(Kind), Email, SyncRuns.Name(Status), StepsDone, StepsTotal, FailedCount,
        Counts.Fetched, Counts.New, Counts.Changed, Counts.Unchanged,
        RangeStart is { } s && RangeEnd is { } e ? $"{s:yyyy-MM-dd} – {e:yyyy-MM-dd}" : null, Error)
    {
        Sweep = IsSweep,
    };
}

/// <summary>A user as the admin page lists them: their Kronos connection's state and their catchup, if one is active.</summary>
public sealed record AdminUserRow(
    string UserId,
    string Email,
    bool IsAdmin,
    KronosConnectionStatus? Connection,
    DateTimeOffset? LastSuccessfulSyncAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    RunRow? ActiveCatchup);

/// <summary>A user's own sync state, for their dashboard.</summary>
public sealed record UserSyncState(KronosConnectionStatus? Connection, DateTimeOffset? LastSuccessfulSyncAt, string? LastError, RunRow? ActiveCatchup)
{
    /// <summary>An update of the user's recent punches ("Sync now", or theirs in the daily run) waits or runs.</summary>
    public bool UpdateActive { get; init; }
}

/// <summary>The history page's filters, as they come from its query string.</summary>
public sealed record HistoryFilter(string? Kind, string? Status, string? Trigger, string? User, long? Sweep, long? Before);

public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore);

/// <summary>What the admin pages read about users and runs.</summary>
public sealed class SyncQueries(IDbContextFactory<PayTrackDbContext> contexts, JobStorage hangfire)
{
    public const int PageSize = 50;

    public async Task<Page<AdminUserRow>> UsersAsync(string? search, int page, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            users = users.Where(u => EF.Functions.ILike(u.Email!, pattern));
        }

        var rows = await users
            .OrderBy(u => u.Email).ThenBy(u => u.Id)
            .Skip(Math.Max(0, page) * PageSize).Take(PageSize + 1)
            .Select(u => new
            {
                u.Id,
                Email = u.Email ?? u.UserName ?? u.Id,
                Connection = db.KronosConnections.Where(c => c.UserId == u.Id).Select(c => new { c.Status, c.LastSuccessfulSyncAt, c.LastError, c.LastErrorAt }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var ids = rows.Take(PageSize).Select(r => r.Id).ToList();
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var admins = await db.UserRoles.Where(r => r.RoleId == adminRoleId && ids.Contains(r.UserId)).Select(r => r.UserId).ToListAsync(cancellationToken);
        var active = (await Runs(db)
                .Where(r => r.UserId != null && ids.Contains(r.UserId) && r.Kind == SyncKind.Catchup && (r.Status == SyncStatus.Queued || r.Status == SyncStatus.Running))
                .ToListAsync(cancellationToken))
            .ToDictionary(r => r.UserId!, r => r.ToRow(), StringComparer.Ordinal);
        var items = rows.Take(PageSize).Select(r => new AdminUserRow(
            r.Id, r.Email, admins.Contains(r.Id), r.Connection?.Status, r.Connection?.LastSuccessfulSyncAt, r.Connection?.LastError,
            r.Connection?.LastErrorAt, active.GetValueOrDefault(r.Id))).ToList();
        return new Page<AdminUserRow>(items, rows.Count > PageSize);
    }

    /// <summary>Catchups and sweeps that are queued or running, newest first; a sweep's counts are those of its users so far.</summary>
    public async Task<IReadOnlyList<RunRow>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = (await Runs(db)
            .Where(r => (r.Status == SyncStatus.Queued || r.Status == SyncStatus.Running) && (r.Kind == SyncKind.Catchup || r.UserId == null))
            .OrderByDescending(r => r.Id)
            .Take(200)
            .ToListAsync(cancellationToken)).Select(r => r.ToRow()).ToList();
        var sweeps = rows.Where(r => r.IsSweep).Select(r => r.Id).ToList();
        if (sweeps.Count == 0)
        {
            return rows;
        }

        var done = await db.SyncRuns.AsNoTracking()
            .Where(r => r.SweepId != null && sweeps.Contains(r.SweepId.Value) && (r.Status == SyncStatus.Succeeded || r.Status == SyncStatus.Failed))
            .GroupBy(r => r.SweepId!.Value)
            .Select(g => new { Sweep = g.Key, Done = g.Count(), Failed = g.Count(r => r.Status == SyncStatus.Failed) })
            .ToDictionaryAsync(g => g.Sweep, cancellationToken);
        return rows.Select(r => done.TryGetValue(r.Id, out var d) ? r with { StepsDone = d.Done, FailedCount = d.Failed } : r).ToList();
    }

    public async Task<Page<RunRow>> HistoryAsync(HistoryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = Runs(db);
        runs = filter.Kind switch
        {
            "catchup" => runs.Where(r => r.Kind == SyncKind.Catchup),
            "sweep" => runs.Where(r => r.Kind == SyncKind.UpdatePunches && r.UserId == null),
            "update" => runs.Where(r => r.Kind == SyncKind.UpdatePunches && r.UserId != null),
            // Users' own updates are thousands a day: listed when a user or a sweep is chosen, or asked for.
            _ when filter.Sweep is null && string.IsNullOrWhiteSpace(filter.User) => runs.Where(r => r.Kind == SyncKind.Catchup || r.UserId == null),
            _ => runs,
        };
        if (filter.Sweep is { } sweep)
        {
            runs = runs.Where(r => r.SweepId == sweep);
        }

        if (TryParse<SyncStatus>(filter.Status) is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        if (TryParse<SyncTrigger>(filter.Trigger) is { } trigger)
        {
            runs = runs.Where(r => r.Trigger == trigger);
        }

        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var email = filter.User.Trim();
            runs = runs.Where(r => r.Email != null && EF.Functions.ILike(r.Email, "%" + email + "%"));
        }

        if (filter.Before is { } before)
        {
            runs = runs.Where(r => r.Id < before);
        }

        var rows = await runs.OrderByDescending(r => r.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        return new Page<RunRow>(rows.Take(PageSize).Select(r => r.ToRow()).ToList(), rows.Count > PageSize);
    }

    /// <summary>When the daily update-punches fires next (Hangfire's recurring entry, shared by every node).</summary>
    public Task<DateTimeOffset?> NextDailyRunAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = hangfire.GetConnection();
        var next = connection.GetRecurringJobs([UpdatePunchesJobs.RecurringId]).FirstOrDefault()?.NextExecution;
        return Task.FromResult(next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null);
    }

    /// <summary>Runs with their users' e-mails, as a shape EF Core can still filter and sort after the projection.</summary>
    private static IQueryable<RunFlat> Runs(PayTrackDbContext db) =>
        from r in db.SyncRuns.AsNoTracking()
        join u in db.Users on r.UserId equals u.Id into users
        from u in users.DefaultIfEmpty()
        join a in db.Users on r.RequestedBy equals a.Id into admins
        from a in admins.DefaultIfEmpty()
        select new RunFlat
        {
            Id = r.Id, Kind = r.Kind, UserId = r.UserId, Email = u == null ? null : u.Email, SweepId = r.SweepId, Trigger = r.Trigger,
            RequestedBy = a == null ? null : a.Email, Status = r.Status, QueuedAt = r.QueuedAt, StartedAt = r.StartedAt,
            FinishedAt = r.FinishedAt, Attempts = r.Attempts, Fetched = r.Fetched, NewCount = r.NewCount, ChangedCount = r.ChangedCount,
            UnchangedCount = r.UnchangedCount, StepsDone = r.StepsDone, StepsTotal = r.StepsTotal, FailedCount = r.FailedCount,
            RangeStart = r.RangeStart, RangeEnd = r.RangeEnd, Error = r.Error,
        };

    private static TEnum? TryParse<TEnum>(string? name)
        where TEnum : struct, Enum
    {
        try
        {
            return string.IsNullOrWhiteSpace(name) ? null : SyncRuns.Parse<TEnum>(name);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed class RunFlat
    {
        public long Id { get; init; }

        public SyncKind Kind { get; init; }

        public string? UserId { get; init; }

        public string? Email { get; init; }

        public long? SweepId { get; init; }

        public SyncTrigger Trigger { get; init; }

        public string? RequestedBy { get; init; }

        public SyncStatus Status { get; init; }

        public DateTimeOffset QueuedAt { get; init; }

        public DateTimeOffset? StartedAt { get; init; }

        public DateTimeOffset? FinishedAt { get; init; }

        public int Attempts { get; init; }

        public int Fetched { get; init; }

        public int NewCount { get; init; }

        public int ChangedCount { get; init; }

        public int UnchangedCount { get; init; }

        public int StepsDone { get; init; }

        public int StepsTotal { get; init; }

        public int FailedCount { get; init; }

        public DateOnly? RangeStart { get; init; }

        public DateOnly? RangeEnd { get; init; }

        public string? Error { get; init; }

        public RunRow ToRow() => new(Id, Kind, UserId, Email, SweepId, Trigger, RequestedBy, Status, QueuedAt, StartedAt, FinishedAt, Attempts,
            new RunCounts(Fetched, NewCount, ChangedCount, UnchangedCount), StepsDone, StepsTotal, FailedCount, RangeStart, RangeEnd, Error);
    }
}
