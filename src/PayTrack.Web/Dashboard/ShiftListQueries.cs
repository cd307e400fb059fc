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
    private const string Columns = "id, job_id, local_date, start_at, end_at, time_zone, worked_minutes, paid_minutes, status, note, edited, source, user_note, raw_punch_id";

    private const string Filter = """
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3 AND ($4::bigint IS NULL OR job_id = $4)
          AND (NOT $5 OR status IN ('missing_out', 'anomaly'))
        """;

    public async Task<ShiftListPage> ListAsync(DashboardSubject subject, ShiftFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, subject, cancellationToken);
        var page = Math.Max(1, filter.Page);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Filtered($"SELECT count(*)::int FROM shifts {Filter}", subject.UserId, filter));
        var list = Filtered($"SELECT {Columns} FROM shifts {Filter} ORDER BY local_date DESC, start_at DESC, id DESC LIMIT $6 OFFSET $7", subject.UserId, filter);
        list.Parameters.Add(new NpgsqlParameter { Value = ShiftFilter.PageSize });
        list.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * ShiftFilter.PageSize });
        batch.BatchCommands.Add(list);

        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<ShiftListRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader, profile));
        }

        await reader.DisposeAsync();
        var history = await OutTimes.HistoryAsync(connection, subject.UserId, [.. rows.Where(r => r.RawPunchId is not null).Select(r => r.RawPunchId!.Value)], cancellationToken);
        var withHistory = rows.Select(r => r.RawPunchId is { } punch && history.Contains(punch) ? r with { OutTimeHistory = [.. history[punch]] } : r).ToList();
        return new ShiftListPage(profile, filter with { Page = page }, withHistory, total);
    }

    /// <summary>One shift of the user; null when it is not theirs or does not exist.</summary>
    public async Task<(PayProfile Profile, ShiftListRow? Shift)> FindAsync(DashboardSubject subject, long shiftId, CancellationToken cancellationToken)
    {
        var profile = await profiles.LoadAsync(subject, cancellationToken);
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM shifts WHERE id = $1 AND user_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shiftId });
        command.Parameters.Add(new NpgsqlParameter { Value = subject.UserId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return (profile, await reader.ReadAsync(cancellationToken) ? Read(reader, profile) : null);
    }

    private static ShiftListRow Read(NpgsqlDataReader reader, PayProfile profile)
    {
        var zoneId = reader.GetString(5);
        var zone = CleaningRules.FindZone(zoneId) ?? profile.Zone;
        var start = TimeZoneInfo.ConvertTime(reader.GetFieldValue<DateTimeOffset>(3), zone);
        DateTimeOffset? end = reader.IsDBNull(4) ? null : TimeZoneInfo.ConvertTime(reader.GetFieldValue<DateTimeOffset>(4), zone);
        return new ShiftListRow(
            reader.GetInt64(0),
            profile.Job(reader.GetInt64(1)),
            reader.GetFieldValue<DateOnly>(2),
            start,
            end,
            zoneId,
            reader.GetInt32(6),
            reader.GetInt32(7),
            DbNames.Parse<ShiftStatus>(reader.GetString(8)),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetBoolean(10),
            DbNames.Parse<ShiftSource>(reader.GetString(11)),
            reader.IsDBNull(12) ? null : reader.GetString(12),
            reader.IsDBNull(13) ? null : reader.GetInt64(13));
    }

    private static NpgsqlBatchCommand Filtered(string sql, string userId, ShiftFilter filter)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.From ?? DateOnly.MinValue });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.To ?? DateOnly.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.ProblemsOnly });
        return command;
    }
}
