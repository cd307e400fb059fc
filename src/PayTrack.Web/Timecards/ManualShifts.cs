using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>A shift typed by the user (the "Add a punch" of the original dashboard); instants in UTC.</summary>
public sealed record ManualShiftRequest(long JobId, DateTimeOffset StartAt, DateTimeOffset EndAt, string? Note);

public sealed record ManualShiftResult(bool Succeeded, long ShiftId, string? Error)
{
    public static ManualShiftResult Failed(string error) => new(false, 0, error);
}

/// <summary>
/// Adds, changes and removes shifts entered by hand. They are stored as manual, never touched by a sync; when a
/// punch from the timecard overlaps one, both stay and both are flagged.
/// </summary>
public sealed class ManualShifts(
    TimecardDatabase database,
    IDbContextFactory<PayTrackDbContext> contexts,
    IOptions<TimecardOptions> options,
    TimeProvider clock)
{
    public const int MaxNoteLength = 500;

    /// <summary>The zone a user's manual shifts are typed in: their Kronos connection's, or the default.</summary>
    public async Task<string> TimeZoneForAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var zone = await db.KronosConnections.AsNoTracking().Where(c => c.UserId == userId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
        return zone ?? options.Value.DefaultTimeZone;
    }

    public async Task<ManualShiftResult> AddAsync(string userId, ManualShiftRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { StartAt = request.StartAt.ToUniversalTime(), EndAt = request.EndAt.ToUniversalTime() };
        if (Validate(request) is { } error)
        {
            return ManualShiftResult.Failed(error);
        }

        var zone = await TimeZoneForAsync(userId, cancellationToken);
        var facts = new ShiftBuilder(options.Value.MaxShift).FromManual(request.StartAt, request.EndAt, zone);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        if (!await OwnsJobAsync(connection, userId, request.JobId, cancellationToken))
        {
            return ManualShiftResult.Failed("That job is not one of yours.");
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO shifts (user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, worked_minutes, paid_minutes,
                                status, note, edited, source, user_note, updated_at)
            VALUES (@user, @job, NULL, @date, @start, @end, @zone, @worked, @worked, @status, @note, false, 'manual', @user_note, @now)
            RETURNING id
            """, connection);
        AddParameters(insert, userId, request, facts);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await RecomputeAsync(connection, userId, [new ShiftRecompute.Window(request.JobId, facts.LocalDate, facts.LocalDate)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ManualShiftResult(true, id, null);
    }

    public async Task<ManualShiftResult> UpdateAsync(string userId, long shiftId, ManualShiftRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { StartAt = request.StartAt.ToUniversalTime(), EndAt = request.EndAt.ToUniversalTime() };
        if (Validate(request) is { } error)
        {
            return ManualShiftResult.Failed(error);
        }

        var zone = await TimeZoneForAsync(userId, cancellationToken);
        var facts = new ShiftBuilder(options.Value.MaxShift).FromManual(request.StartAt, request.EndAt, zone);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        if (!await OwnsJobAsync(connection, userId, request.JobId, cancellationToken))
        {
            return ManualShiftResult.Failed("That job is not one of yours.");
        }

        await using var update = new NpgsqlCommand("""
            UPDATE shifts sh SET job_id = @job, local_date = @date, start_at = @start, end_at = @end, time_zone = @zone,
                   worked_minutes = @worked, paid_minutes = @worked, status = @status, note = @note, user_note = @user_note, updated_at = @now
            FROM shifts old
            WHERE sh.id = @id AND sh.user_id = @user AND sh.source = 'manual' AND old.id = sh.id
            RETURNING old.job_id, old.local_date
            """, connection);
        AddParameters(update, userId, request, facts);
        update.Parameters.AddWithValue("id", shiftId);
        var windows = new List<ShiftRecompute.Window>();
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return ManualShiftResult.Failed("There is no such shift of yours that was entered by hand.");
            }

            windows.Add(new ShiftRecompute.Window(reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(1)));
        }

        windows.Add(new ShiftRecompute.Window(request.JobId, facts.LocalDate, facts.LocalDate));
        await RecomputeAsync(connection, userId, windows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ManualShiftResult(true, shiftId, null);
    }

    public async Task<bool> DeleteAsync(string userId, long shiftId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        await using var delete = new NpgsqlCommand(
            "DELETE FROM shifts WHERE id = @id AND user_id = @user AND source = 'manual' RETURNING job_id, local_date", connection);
        delete.Parameters.AddWithValue("id", shiftId);
        delete.Parameters.AddWithValue("user", userId);
        ShiftRecompute.Window window;
        await using (var reader = await delete.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            window = new ShiftRecompute.Window(reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(1));
        }

        await RecomputeAsync(connection, userId, [window], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task RecomputeAsync(NpgsqlConnection connection, string userId, IReadOnlyList<ShiftRecompute.Window> windows, CancellationToken cancellationToken)
    {
        var merged = windows.GroupBy(w => w.JobId).Select(g => new ShiftRecompute.Window(g.Key, g.Min(w => w.From), g.Max(w => w.To))).ToList();
        var stored = await ShiftRecompute.LoadAsync(connection, userId, merged, excludeApplied: false, cancellationToken);
        var rules = new ShiftBuilder(options.Value.MaxShift);
        var (_, fixes) = ShiftRecompute.Compute(stored, [], merged, rules);
        await ShiftRecompute.WriteStoredAsync(connection, userId, fixes, clock.GetUtcNow(), cancellationToken);
        await OutTimes.ApplyAsync(connection, userId, rules, clock.GetUtcNow(), cancellationToken);
    }

    private void AddParameters(NpgsqlCommand command, string userId, ManualShiftRequest request, ShiftFacts facts)
    {
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("job", request.JobId);
        command.Parameters.AddWithValue("date", facts.LocalDate);
        command.Parameters.AddWithValue("start", facts.StartAt);
        command.Parameters.AddWithValue("end", facts.EndAt!.Value);
        command.Parameters.AddWithValue("zone", facts.TimeZone);
        command.Parameters.AddWithValue("worked", facts.WorkedMinutes);
        command.Parameters.AddWithValue("status", DbNames.Of(facts.Status));
        command.Parameters.AddWithValue("note", (object?)facts.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("user_note", string.IsNullOrWhiteSpace(request.Note) ? DBNull.Value : request.Note.Trim());
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
    }

    private static async Task<bool> OwnsJobAsync(NpgsqlConnection connection, string userId, long jobId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM jobs WHERE id = @job AND user_id = @user", connection);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static string? Validate(ManualShiftRequest request)
    {
        if (request.EndAt <= request.StartAt)
        {
            return "The end must be after the start.";
        }

        if (request.EndAt - request.StartAt > TimeSpan.FromDays(1))
        {
            return "A shift can last at most 24 hours.";
        }

        return request.Note is { Length: > MaxNoteLength } ? $"The note can be at most {MaxNoteLength} characters." : null;
    }
}
