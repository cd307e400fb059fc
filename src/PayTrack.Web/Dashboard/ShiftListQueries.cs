using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>The shifts page's filters; null dates are open ends.</summary>
public sealed record ShiftFilter(DateOnly? From, DateOnly? To, long? JobId, bool ProblemsOnly, int Page)
{
    public const int PageSize = 50;

    public static readonly ShiftFilter All = new(null, null, null, false, 1);
}

/// <summary>One row of the shifts table; times are local to the shift's own zone.</summary>
public sealed record ShiftListRow(
    long Id,
    JobInfo? Job,
    DateOnly Date,
    DateTimeOffset LocalStart,
    DateTimeOffset? LocalEnd,
    string TimeZone,
    int WorkedMinutes,
    int PaidMinutes,
    ShiftStatus Status,
    string? Note,
    bool Edited,
    ShiftSource Source,
    string? UserNote,
    long? RawPunchId = null)
{
    /// <summary>Out times the user entered for this punch while it had none, and what became of each.</summary>
    public IReadOnlyList<OutTimeRecord> OutTimeHistory { get; init; } = [];

    public bool IsProblem => Status is ShiftStatus.MissingOut or ShiftStatus.Anomaly;

    public bool IsManual => Source == ShiftSource.Manual;
}

public sealed record ShiftListPage(PayProfile Profile, ShiftFilter Filter, IReadOnlyList<ShiftListRow> Rows, int Total)
{
    public int PageCount => Math.Max(1, (Total + ShiftFilter.PageSize - 1) / ShiftFilter.PageSize);
}

/// <summary>The shifts page's reads: a filtered, paged list (newest first) and single shifts for the edit form.</summary>
public sealed class ShiftListQueries(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    public async Task<ShiftListPage> ListAsync(DashboardSubject subject, ShiftFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, subject, cancellationToken);
        var page = Math.Max(1, filter.Page);
        await using var batch = new NpgsqlBatch(connection);
        TimecardReads.AddList(batch, subject.UserId, filter.From, filter.To, filter.JobId, filter.ProblemsOnly, ShiftFilter.PageSize, (page - 1) * ShiftFilter.PageSize);
        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        var (total, stored) = await TimecardReads.ReadListAsync(reader, cancellationToken);
        var rows = stored.Select(s => Row(s, profile)).ToList();
        await reader.DisposeAsync();
        var history = await OutTimes.HistoryAsync(connection, subject.UserId, [.. rows.Where(r => r.RawPunchId is not null).Select(r => r.RawPunchId!.Value)], cancellationToken);
        var withHistory = rows.Select(r => r.RawPunchId is { } punch && history.Contains(punch) ? r with { OutTimeHistory = [.. history[punch]] } : r).ToList();
        return new ShiftListPage(profile, filter with { Page = page }, withHistory, total);
    }

    /// <summary>One shift of the user; null when it is not theirs or does not exist.</summary>
    public async Task<(PayProfile Profile, ShiftListRow? Shift)> FindAsync(DashboardSubject subject, long shiftId, CancellationToken cancellationToken)
    {
        var profile = await profiles.LoadAsync(subject, cancellationToken);
        var shift = await TimecardReads.FindAsync(dataSource, subject.UserId, shiftId, cancellationToken);
        return (profile, shift is null ? null : Row(shift, profile));
    }

    private static ShiftListRow Row(Shift shift, PayProfile profile)
    {
        var zone = CleaningRules.FindZone(shift.TimeZone) ?? profile.Zone;
        return new ShiftListRow(
            shift.Id,
            profile.Job(shift.JobId),
            shift.LocalDate,
            TimeZoneInfo.ConvertTime(shift.StartAt, zone),
            shift.EndAt is { } end ? TimeZoneInfo.ConvertTime(end, zone) : null,
            shift.TimeZone,
            shift.WorkedMinutes,
            shift.PaidMinutes,
            shift.Status,
            shift.Note,
            shift.Edited,
            shift.Source,
            shift.UserNote,
            shift.RawPunchId);
    }
}
