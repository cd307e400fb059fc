using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>
/// Keeps the overlap flags right around a change. Overlaps depend on neighbours, so after punches (or manual
/// shifts) change, the shifts of the same job within a day of the change are recomputed from their punches and
/// only those whose meaning differs are written. Context is loaded two days around the change: enough for every
/// shift up to a day long (longer ones are flagged as overlong anyway, see TimecardOptions.MaxShiftHours).
/// </summary>
internal static class ShiftRecompute
{
    public sealed record Window(long JobId, DateOnly From, DateOnly To);

    /// <summary>The stored shifts around the windows, each with the raw punch it comes from (none for a manual shift).</summary>
    public static async Task<List<(Shift Stored, RawPunch? Punch)>> LoadAsync(
        NpgsqlConnection connection, string userId, IReadOnlyCollection<Window> windows, bool excludeApplied, CancellationToken cancellationToken)
    {
        var sql = """
            SELECT sh.id, sh.job_id, sh.raw_punch_id, sh.source, sh.local_date, sh.start_at, sh.end_at, sh.time_zone,
                   sh.rounded_start_at, sh.rounded_end_at, sh.worked_minutes, sh.paid_minutes, sh.status, sh.note, sh.edited,
                   p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded, p.time_zone, p.edited, p.punch_key
            FROM unnest(@jobs, @froms, @tos) AS w(job_id, from_date, to_date)
            JOIN shifts sh ON sh.user_id = @user AND sh.job_id = w.job_id AND sh.local_date BETWEEN w.from_date AND w.to_date
            LEFT JOIN raw_punches p ON p.id = sh.raw_punch_id AND p.user_id = @user
            """ + (excludeApplied ? "\nWHERE NOT EXISTS (SELECT 1 FROM punch_applied a WHERE a.punch_id = sh.raw_punch_id)" : "");
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("jobs", windows.Select(w => w.JobId).ToArray());
        command.Parameters.AddWithValue("froms", windows.Select(w => w.From.AddDays(-2)).ToArray());
        command.Parameters.AddWithValue("tos", windows.Select(w => w.To.AddDays(2)).ToArray());
        var result = new List<(Shift, RawPunch?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var shift = new Shift
            {
                Id = reader.GetInt64(0),
                UserId = userId,
                JobId = reader.GetInt64(1),
                RawPunchId = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                Source = DbNames.Parse<ShiftSource>(reader.GetString(3)),
                LocalDate = reader.GetFieldValue<DateOnly>(4),
                StartAt = reader.GetFieldValue<DateTimeOffset>(5),
                EndAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                TimeZone = reader.GetString(7),
                RoundedStartAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                RoundedEndAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                WorkedMinutes = reader.GetInt32(10),
                PaidMinutes = reader.GetInt32(11),
                Status = DbNames.Parse<ShiftStatus>(reader.GetString(12)),
                Note = reader.IsDBNull(13) ? null : reader.GetString(13),
                Edited = reader.GetBoolean(14),
            };
            result.Add((shift, reader.IsDBNull(15) ? null : ReadPunch(reader, shift)));
        }

        return result;
    }

    /// <summary>The punch columns of <see cref="LoadAsync"/> (from 15 on), as the cleaning rules read them.</summary>
    private static RawPunch ReadPunch(NpgsqlDataReader reader, Shift shift) => new()
    {
        UserId = shift.UserId,
        JobId = shift.JobId,
        Id = shift.RawPunchId ?? 0,
        Source = shift.Source,
        InAt = reader.GetFieldValue<DateTimeOffset>(15),
        OutAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
        EndReason = reader.GetString(17),
        InRounded = reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18),
        OutRounded = reader.IsDBNull(19) ? null : reader.GetFieldValue<DateTimeOffset>(19),
        TimeZone = reader.IsDBNull(20) ? null : reader.GetString(20),
        Edited = !reader.IsDBNull(21) && reader.GetBoolean(21),
        PunchKey = reader.GetString(22),
    };

    /// <summary>
    /// The final meaning of every shift in the context: its own rules, then the overlap rule across all of them.
    /// Returns the incoming shifts (by their place in the batch) whose meaning the overlap rule changed, and the stored
    /// shifts within a day of a change whose stored meaning is no longer right, as they should be (with their ids).
    /// </summary>
    public static (List<(int Ord, Shift Shift)> Incoming, List<Shift> Stored) Compute(
        IReadOnlyList<(Shift Stored, RawPunch? Punch)> stored, IReadOnlyList<(int Ord, Shift Shift)> incoming, IReadOnlyCollection<Window> windows, CleaningRules rules)
    {
        var context = new List<Shift>(stored.Count + incoming.Count);
        foreach (var (shift, punch) in stored)
        {
            context.Add(punch is not null ? rules.FromPunch(punch, shift.TimeZone)
                : shift.Source == ShiftSource.Manual ? rules.FromManual(shift.UserId, shift.JobId, shift.StartAt, shift.EndAt ?? shift.StartAt, shift.TimeZone)
                : shift);
        }

        context.AddRange(incoming.Select(i => i.Shift));
        var overlaps = CleaningRules.FindOverlaps(context);
        var regions = windows.ToDictionary(w => w.JobId, w => (From: w.From.AddDays(-1), To: w.To.AddDays(1)));
        var storedFixes = new List<Shift>();
        for (var i = 0; i < stored.Count; i++)
        {
            var shift = stored[i].Stored;
            if (!regions.TryGetValue(shift.JobId, out var region) || shift.LocalDate < region.From || shift.LocalDate > region.To)
            {
                continue;
            }

            var final = overlaps[i] is { } overlap ? CleaningRules.WithOverlap(context[i], overlap) : context[i];
            if (!CleaningRules.SameMeaning(final, shift))
            {
                final.Id = shift.Id;
                storedFixes.Add(final);
            }
        }

        var incomingFixes = new List<(int Ord, Shift Shift)>();
        for (var i = 0; i < incoming.Count; i++)
        {
            if (overlaps[stored.Count + i] is { } overlap)
            {
                incomingFixes.Add((incoming[i].Ord, CleaningRules.WithOverlap(incoming[i].Shift, overlap)));
            }
        }

        return (incomingFixes, storedFixes);
    }

    /// <summary>Rewrites stored shifts with their recomputed meaning; returns how many rows changed.</summary>
    public static async Task<int> WriteStoredAsync(
        NpgsqlConnection connection, string userId, IReadOnlyList<Shift> fixes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (fixes.Count == 0)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand("""
            UPDATE shifts sh SET local_date = f.local_date, start_at = f.start_at, end_at = f.end_at, time_zone = f.time_zone,
                   rounded_start_at = f.rounded_start_at, rounded_end_at = f.rounded_end_at, worked_minutes = f.worked_minutes,
                   paid_minutes = f.paid_minutes, status = f.status, note = f.note, edited = f.edited, updated_at = @now
            FROM unnest(@ids, @dates, @starts, @ends, @zones, @rstarts, @rends, @worked, @paid, @statuses, @notes, @edited)
                 AS f(id, local_date, start_at, end_at, time_zone, rounded_start_at, rounded_end_at, worked_minutes, paid_minutes, status, note, edited)
            WHERE sh.id = f.id AND sh.user_id = @user
            """, connection);
        var facts = fixes;
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("ids", fixes.Select(f => f.Id).ToArray());
        command.Parameters.AddWithValue("dates", facts.Select(f => f.LocalDate).ToArray());
        command.Parameters.AddWithValue("starts", facts.Select(f => f.StartAt).ToArray());
        command.Parameters.AddWithValue("ends", facts.Select(f => f.EndAt).ToArray());
        command.Parameters.AddWithValue("zones", facts.Select(f => f.TimeZone).ToArray());
        command.Parameters.AddWithValue("rstarts", facts.Select(f => f.RoundedStartAt).ToArray());
        command.Parameters.AddWithValue("rends", facts.Select(f => f.RoundedEndAt).ToArray());
        command.Parameters.AddWithValue("worked", facts.Select(f => f.WorkedMinutes).ToArray());
        command.Parameters.AddWithValue("paid", facts.Select(f => f.PaidMinutes).ToArray());
        command.Parameters.AddWithValue("statuses", facts.Select(f => DbNames.Of(f.Status)).ToArray());
        command.Parameters.AddWithValue("notes", facts.Select(f => f.Note).ToArray());
        command.Parameters.AddWithValue("edited", facts.Select(f => f.Edited).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
