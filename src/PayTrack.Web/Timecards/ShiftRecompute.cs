using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>A stored shift with the raw punch it comes from (null for a manual shift).</summary>
internal sealed record StoredShift(long Id, long JobId, long? RawPunchId, ShiftSource Source, ShiftFacts Facts, PunchFacts? Punch);

/// <summary>A shift not stored yet (or about to be replaced), known by its position in the batch.</summary>
internal readonly record struct IncomingShift(int Ord, long JobId, ShiftFacts Facts);

/// <summary>
/// Keeps the overlap flags right around a change. Overlaps depend on neighbours, so after punches (or manual
/// shifts) change, the shifts of the same job within a day of the change are recomputed from their punches and
/// only those whose meaning differs are written. Context is loaded two days around the change: enough for every
/// shift up to a day long (longer ones are flagged as overlong anyway, see TimecardOptions.MaxShiftHours).
/// </summary>
internal static class ShiftRecompute
{
    public sealed record Window(long JobId, DateOnly From, DateOnly To);

    public static async Task<List<StoredShift>> LoadAsync(
        NpgsqlConnection connection, string userId, IReadOnlyCollection<Window> windows, bool excludeApplied, CancellationToken cancellationToken)
    {
        var sql = """
            SELECT sh.id, sh.job_id, sh.raw_punch_id, sh.source, sh.local_date, sh.start_at, sh.end_at, sh.time_zone,
                   sh.rounded_start_at, sh.rounded_end_at, sh.worked_minutes, sh.paid_minutes, sh.status, sh.note, sh.edited,
                   p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded, p.time_zone, p.edited
            FROM unnest(@jobs, @froms, @tos) AS w(job_id, from_date, to_date)
            JOIN shifts sh ON sh.user_id = @user AND sh.job_id = w.job_id AND sh.local_date BETWEEN w.from_date AND w.to_date
            LEFT JOIN raw_punches p ON p.id = sh.raw_punch_id AND p.user_id = @user
            """ + (excludeApplied ? "\nWHERE NOT EXISTS (SELECT 1 FROM punch_applied a WHERE a.punch_id = sh.raw_punch_id)" : "");
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("jobs", windows.Select(w => w.JobId).ToArray());
        command.Parameters.AddWithValue("froms", windows.Select(w => w.From.AddDays(-2)).ToArray());
        command.Parameters.AddWithValue("tos", windows.Select(w => w.To.AddDays(2)).ToArray());
        var result = new List<StoredShift>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var facts = new ShiftFacts
            {
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
            var punch = reader.IsDBNull(15)
                ? null
                : new PunchFacts(
                    reader.GetFieldValue<DateTimeOffset>(15),
                    reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
                    reader.GetString(17),
                    reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18),
                    reader.IsDBNull(19) ? null : reader.GetFieldValue<DateTimeOffset>(19),
                    reader.IsDBNull(20) ? null : reader.GetString(20),
                    !reader.IsDBNull(21) && reader.GetBoolean(21));
            result.Add(new StoredShift(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                DbNames.Parse<ShiftSource>(reader.GetString(3)),
                facts,
                punch));
        }

        return result;
    }

    /// <summary>
    /// The final meaning of every shift in the context: its own rules, then the overlap rule across all of them.
    /// Returns the incoming shifts whose meaning the overlap rule changed, and the stored shifts within a day of a
    /// change whose stored meaning is no longer right.
    /// </summary>
    public static (List<IncomingShift> Incoming, List<(StoredShift Shift, ShiftFacts Facts)> Stored) Compute(
        IReadOnlyList<StoredShift> stored, IReadOnlyList<IncomingShift> incoming, IReadOnlyCollection<Window> windows, CleaningRules rules)
    {
        var baseFacts = new List<ShiftFacts>(stored.Count + incoming.Count);
        var spans = new List<ShiftSpan>(stored.Count + incoming.Count);
        foreach (var shift in stored)
        {
            var facts = shift switch
            {
                { Punch: { } punch } => rules.FromPunch(punch, shift.Facts.TimeZone),
                { Source: ShiftSource.Manual } => rules.FromManual(shift.Facts.StartAt, shift.Facts.EndAt ?? shift.Facts.StartAt, shift.Facts.TimeZone),
                _ => shift.Facts,
            };
            baseFacts.Add(facts);
            spans.Add(new ShiftSpan(shift.JobId, facts.StartAt, facts.EndAt, shift.Source == ShiftSource.Manual, facts.TimeZone));
        }

        foreach (var shift in incoming)
        {
            baseFacts.Add(shift.Facts);
            spans.Add(new ShiftSpan(shift.JobId, shift.Facts.StartAt, shift.Facts.EndAt, false, shift.Facts.TimeZone));
        }

        var overlaps = CleaningRules.FindOverlaps(spans);
        var regions = windows.ToDictionary(w => w.JobId, w => (From: w.From.AddDays(-1), To: w.To.AddDays(1)));
        var storedFixes = new List<(StoredShift, ShiftFacts)>();
        for (var i = 0; i < stored.Count; i++)
        {
            var shift = stored[i];
            if (!regions.TryGetValue(shift.JobId, out var region) || shift.Facts.LocalDate < region.From || shift.Facts.LocalDate > region.To)
            {
                continue;
            }

            var final = overlaps[i] is { } overlap ? CleaningRules.WithOverlap(baseFacts[i], overlap) : baseFacts[i];
            if (final != shift.Facts)
            {
                storedFixes.Add((shift, final));
            }
        }

        var incomingFixes = new List<IncomingShift>();
        for (var i = 0; i < incoming.Count; i++)
        {
            if (overlaps[stored.Count + i] is { } overlap)
            {
                incomingFixes.Add(incoming[i] with { Facts = CleaningRules.WithOverlap(incoming[i].Facts, overlap) });
            }
        }

        return (incomingFixes, storedFixes);
    }

    /// <summary>Rewrites stored shifts with their recomputed meaning; returns how many rows changed.</summary>
    public static async Task<int> WriteStoredAsync(
        NpgsqlConnection connection, string userId, IReadOnlyList<(StoredShift Shift, ShiftFacts Facts)> fixes, DateTimeOffset now, CancellationToken cancellationToken)
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
        var facts = fixes.Select(f => f.Facts).ToList();
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("ids", fixes.Select(f => f.Shift.Id).ToArray());
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
