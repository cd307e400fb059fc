using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Live;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>A shift typed by the user (the "Add a punch" of the original dashboard); instants in UTC.</summary>
public sealed record ManualShiftRequest(long JobId, DateTimeOffset StartAt, DateTimeOffset EndAt, string? Note);

/// <summary>What is wrong with one field of a shift, in words for the person who typed it.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>The shift form's fields as typed: texts, so that an empty or unreadable value is refused, never read as 00:00.</summary>
public sealed record ManualShiftForm(long? JobId, string? Date, string? Start, string? End, string? Note, bool ConfirmedLong = false);

/// <summary>
/// The shift form checked: the request to save, or a message per field ("job", "date", "start", "end", "note"), or a
/// question to confirm a shift longer than the configured maximum.
/// </summary>
public sealed record ManualShiftFormCheck(ManualShiftRequest? Request, IReadOnlyDictionary<string, string> Errors, string? ConfirmLong)
{
    public bool CanSave => Request is not null && Errors.Count == 0 && ConfirmLong is null;
}

/// <summary>
/// Adds, changes and removes shifts entered by hand. They are stored as manual, never touched by a sync; when a
/// punch from the timecard overlaps one, both stay and both are flagged.
/// </summary>
public sealed class ManualShifts(
    TimecardDatabase database,
    IDbContextFactory<PayTrackDbContext> contexts,
    IOptions<TimecardOptions> options,
    ILiveNotifier live,
    TimeProvider clock)
{
    public const int MaxNoteLength = TimecardLimits.MaxNoteLength;

    /// <summary>The bounds every shift entered by hand respects (the form, a backup's manual shifts).</summary>
    public static FieldProblem? Check(DateTimeOffset start, DateTimeOffset end, string? note)
    {
        if (!TimecardLimits.InRange(start))
        {
            return new FieldProblem("start", TimecardLimits.Instant(start));
        }

        if (!TimecardLimits.InRange(end))
        {
            return new FieldProblem("end", TimecardLimits.Instant(end));
        }

        if (end == start)
        {
            return new FieldProblem("end", SameTime);
        }

        if (end < start)
        {
            return new FieldProblem("end", "The end must be after the start.");
        }

        if (end - start > TimeSpan.FromDays(1))
        {
            return new FieldProblem("end", "A shift can last at most 24 hours.");
        }

        return NoteTooLong(note) is { } tooLong ? new FieldProblem("note", tooLong) : null;
    }

    /// <summary>
    /// Checks the shift form as typed, in the user's zone: every field that is empty or unreadable gets its own message;
    /// an end at or before the start clock time is on the next day, but never the same instant; a shift longer than the
    /// configured maximum is saved only once the user confirms it.
    /// </summary>
    public ManualShiftFormCheck CheckForm(ManualShiftForm form, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (form.JobId is null or <= 0)
        {
            errors["job"] = "Choose the job this shift was for.";
        }

        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(form.Date))
        {
            errors["date"] = "Enter the date of the shift.";
        }
        else if (!DateOnly.TryParseExact(form.Date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || !TimecardLimits.InRange(date))
        {
            errors["date"] = "Enter a date such as 2024-12-02 (between 1970 and 2099).";
        }

        var start = ReadTime(form.Start, "start", errors);
        var end = ReadTime(form.End, "end", errors);
        if (start is { } s && end is { } e && s == e)
        {
            errors["end"] = SameTime;
        }

        if (NoteTooLong(form.Note) is { } tooLong)
        {
            errors["note"] = tooLong;
        }

        if (errors.Count > 0 || CleaningRules.FindZone(timeZone) is not { } zone)
        {
            return new ManualShiftFormCheck(null, errors, null);
        }

        var (startAt, endAt) = LocalTimes.ShiftInstants(date, start!.Value, end!.Value, zone);
        if (Check(startAt, endAt, form.Note) is { } problem)
        {
            errors[problem.Field] = problem.Message;
            return new ManualShiftFormCheck(null, errors, null);
        }

        var request = new ManualShiftRequest(form.JobId!.Value, startAt, endAt, form.Note);
        var length = endAt - startAt;
        var confirm = length > options.Value.MaxShift && !form.ConfirmedLong
            ? string.Create(CultureInfo.InvariantCulture, $"This shift is {length.TotalHours:0.##} hours, longer than the usual maximum of {options.Value.MaxShiftHours:0.##} hours. Save it anyway?")
            : null;
        return new ManualShiftFormCheck(request, errors, confirm);
    }

    private const string SameTime = "The end is the same time as the start; enter when the shift ended.";

    private static string? NoteTooLong(string? note) =>
        note is { Length: > MaxNoteLength }
            ? string.Create(CultureInfo.InvariantCulture, $"The note can be at most {MaxNoteLength} characters; it has {note.Length:N0}.")
            : null;

    private static TimeOnly? ReadTime(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = field == "start" ? "Enter the time the shift started." : "Enter the time the shift ended.";
            return null;
        }

        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "HH:mm:ss", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors[field] = "Enter a time such as 09:00 or 17:30.";
        return null;
    }

    private const string NotYourJob = "That job is not one of yours.";

    /// <summary>The zone a user's manual shifts are typed in: their Kronos connection's, or the default.</summary>
    public async Task<string> TimeZoneForAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var zone = await db.KronosConnections.AsNoTracking().Where(c => c.UserId == userId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
        return zone ?? options.Value.DefaultTimeZone;
    }

    public async Task<Outcome<long>> AddAsync(string userId, ManualShiftRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { StartAt = request.StartAt.ToUniversalTime(), EndAt = request.EndAt.ToUniversalTime() };
        if (Validate(request) is { } error)
        {
            return Outcome.Invalid(error);
        }

        var zone = await TimeZoneForAsync(userId, cancellationToken);
        var facts = new CleaningRules(options.Value.MaxShift).FromManual(userId, request.JobId, request.StartAt, request.EndAt, zone);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        if (!await OwnsJobAsync(connection, userId, request.JobId, cancellationToken))
        {
            return Outcome.NotFound(NotYourJob);
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
        await AnnounceAsync(userId);
        return Outcome.Of(id);
    }

    public async Task<Outcome<long>> UpdateAsync(string userId, long shiftId, ManualShiftRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { StartAt = request.StartAt.ToUniversalTime(), EndAt = request.EndAt.ToUniversalTime() };
        if (Validate(request) is { } error)
        {
            return Outcome.Invalid(error);
        }

        var zone = await TimeZoneForAsync(userId, cancellationToken);
        var facts = new CleaningRules(options.Value.MaxShift).FromManual(userId, request.JobId, request.StartAt, request.EndAt, zone);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        if (!await OwnsJobAsync(connection, userId, request.JobId, cancellationToken))
        {
            return Outcome.NotFound(NotYourJob);
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
                return Outcome.NotFound("There is no such shift of yours that was entered by hand.");
            }

            windows.Add(new ShiftRecompute.Window(reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(1)));
        }

        windows.Add(new ShiftRecompute.Window(request.JobId, facts.LocalDate, facts.LocalDate));
        await RecomputeAsync(connection, userId, windows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AnnounceAsync(userId);
        return Outcome.Of(shiftId);
    }

    public async Task<Outcome> DeleteAsync(string userId, long shiftId, CancellationToken cancellationToken)
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
                return Outcome.NotFound("There is no such shift of yours entered by hand.");
            }

            window = new ShiftRecompute.Window(reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(1));
        }

        await RecomputeAsync(connection, userId, [window], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AnnounceAsync(userId);
        return Outcome.Ok();
    }

    /// <summary>
    /// Tells the user's open pages (on every node) and whatever follows their changes (the Notion sync) that their
    /// shifts changed. Sent after the commit, and whether or not the caller is still waiting: the change is made.
    /// </summary>
    private Task AnnounceAsync(string userId) => live.PublishAsync(LiveEvent.Changed(userId, "manual"), CancellationToken.None);

    private async Task RecomputeAsync(NpgsqlConnection connection, string userId, IReadOnlyList<ShiftRecompute.Window> windows, CancellationToken cancellationToken)
    {
        var merged = windows.GroupBy(w => w.JobId).Select(g => new ShiftRecompute.Window(g.Key, g.Min(w => w.From), g.Max(w => w.To))).ToList();
        var stored = await ShiftRecompute.LoadAsync(connection, userId, merged, excludeApplied: false, cancellationToken);
        var rules = new CleaningRules(options.Value.MaxShift);
        var (_, fixes) = ShiftRecompute.Compute(stored, [], merged, rules);
        await ShiftRecompute.WriteStoredAsync(connection, userId, fixes, clock.GetUtcNow(), cancellationToken);
        await OutTimes.ApplyAsync(connection, userId, rules, clock.GetUtcNow(), cancellationToken);
    }

    private void AddParameters(NpgsqlCommand command, string userId, ManualShiftRequest request, Shift facts)
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

    private static string? Validate(ManualShiftRequest request) => Check(request.StartAt, request.EndAt, request.Note)?.Message;
}
