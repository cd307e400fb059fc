using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>
/// The ingest's shift writes, after its punch writes: the backup's manual shifts, the shifts of new punches (one
/// binary COPY), the rewrite of changed punches' shifts, and the stored neighbours whose overlap flags change.
/// </summary>
internal static class IngestShifts
{
    /// <summary>Adds the backup's manual shifts that the user does not have yet (same job, start and end); returns their days.</summary>
    internal static async Task<List<(long JobId, DateOnly Date)>> InsertManualAsync(
        NpgsqlConnection connection, string userId, IReadOnlyList<ManualShiftImport> manualShifts, Dictionary<(long, long), long> jobIds,
        CleaningRules rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var added = new List<(long, DateOnly)>();
        if (manualShifts.Count == 0)
        {
            return added;
        }

        var rows = manualShifts.Select(m => (JobId: jobIds[(m.EmployeeId, m.PayRuleId)], Manual: m))
            .Select(m => (m.JobId, m.Manual, Facts: rules.FromManual(userId, m.JobId, m.Manual.StartAt, m.Manual.EndAt, m.Manual.TimeZone))).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO shifts (user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, worked_minutes, paid_minutes,
                                status, note, edited, source, user_note, updated_at)
            SELECT DISTINCT ON (m.job_id, m.start_at, m.end_at)
                   @user, m.job_id, NULL, m.local_date, m.start_at, m.end_at, m.time_zone, m.worked, m.worked, m.status, m.note, false, 'manual', m.user_note, @now
            FROM unnest(@jobs, @dates, @starts, @ends, @zones, @worked, @statuses, @notes, @user_notes)
                 AS m(job_id, local_date, start_at, end_at, time_zone, worked, status, note, user_note)
            WHERE NOT EXISTS (SELECT 1 FROM shifts sh WHERE sh.user_id = @user AND sh.job_id = m.job_id AND sh.source = 'manual'
                                                        AND sh.start_at = m.start_at AND sh.end_at = m.end_at)
            RETURNING job_id, local_date
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("jobs", rows.Select(r => r.JobId).ToArray());
        command.Parameters.AddWithValue("dates", rows.Select(r => r.Facts.LocalDate).ToArray());
        command.Parameters.AddWithValue("starts", rows.Select(r => r.Facts.StartAt).ToArray());
        command.Parameters.AddWithValue("ends", rows.Select(r => r.Facts.EndAt!.Value).ToArray());
        command.Parameters.AddWithValue("zones", rows.Select(r => r.Facts.TimeZone).ToArray());
        command.Parameters.AddWithValue("worked", rows.Select(r => r.Facts.WorkedMinutes).ToArray());
        command.Parameters.AddWithValue("statuses", rows.Select(r => DbNames.Of(r.Facts.Status)).ToArray());
        command.Parameters.Add(new NpgsqlParameter<string?[]>("notes", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = rows.Select(r => r.Facts.Note).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("user_notes", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = rows.Select(r => r.Manual.Note).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            added.Add((reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1)));
        }

        return added;
    }

    /// <summary>The punches a batch wrote: the new ones (COPYed, with their ids) and how many stored ones the merge changed.</summary>
    internal sealed record AppliedPunches(List<int> Fresh, long[] FreshIds, int ChangedCount);

    /// <summary>
    /// Writes the shifts of the punches the batch applied, with the overlap rule run over them and their stored
    /// neighbours; neighbours whose flags change are rewritten too. Returns the number of shift rows written.
    /// </summary>
    internal static async Task<int> WriteShiftsAsync(
        NpgsqlConnection connection, string userId, (RawPunch Punch, Shift Shift)[] incoming, AppliedPunches punches,
        List<(long JobId, DateOnly Date)> manualDates, CleaningRules rules, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var applied = new List<(int Ord, Shift Shift)>(punches.Fresh.Count + punches.ChangedCount);
        applied.AddRange(punches.Fresh.Select(ord => (ord, incoming[ord].Shift)));
        if (punches.ChangedCount > 0)
        {
            applied.AddRange(await ReadChangedAsync(connection, incoming, cancellationToken));
        }

        // The days a change touches: the new days of applied punches, the old days of changed ones, and added manual shifts.
        var days = applied.Select(a => (a.Shift.JobId, a.Shift.LocalDate)).Concat(manualDates).ToList();
        if (punches.ChangedCount > 0)
        {
            days.AddRange(await OldDaysAsync(connection, userId, cancellationToken));
        }

        var windows = days.GroupBy(d => d.Item1)
            .Select(g => new ShiftRecompute.Window(g.Key, g.Min(d => d.Item2), g.Max(d => d.Item2)))
            .ToList();
        // New punches have no shift yet; a changed punch's stored shift is replaced, so it is not context.
        var stored = await ShiftRecompute.LoadAsync(connection, userId, windows, excludeApplied: punches.ChangedCount > 0, cancellationToken);
        var (incomingFixes, storedFixes) = ShiftRecompute.Compute(stored, applied, windows, rules);
        var fixedFacts = incomingFixes.ToDictionary(f => f.Ord, f => f.Shift);

        var changedFixes = punches.ChangedCount > 0 ? incomingFixes.Where(f => !IsFresh(f.Ord)).ToList() : [];
        if (changedFixes.Count > 0)
        {
            await using var fix = new NpgsqlCommand("""
                UPDATE punch_stage s SET status = f.status, note = f.note
                FROM unnest(@ords, @statuses, @notes) AS f(ord, status, note)
                WHERE s.ord = f.ord
                """, connection);
            fix.Parameters.AddWithValue("ords", changedFixes.Select(f => f.Ord).ToArray());
            fix.Parameters.AddWithValue("statuses", changedFixes.Select(f => DbNames.Of(f.Shift.Status)).ToArray());
            fix.Parameters.Add(new NpgsqlParameter<string?[]>("notes", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = changedFixes.Select(f => f.Shift.Note).ToArray() });
            await fix.ExecuteNonQueryAsync(cancellationToken);
        }

        var written = await CopyNewShiftsAsync(connection, userId, incoming, punches, fixedFacts, source, now, cancellationToken);
        if (punches.ChangedCount > 0)
        {
            written += await UpdateChangedShiftsAsync(connection, userId, source, now, cancellationToken);
        }

        written += await ShiftRecompute.WriteStoredAsync(connection, userId, storedFixes, now, cancellationToken);
        return written;

        bool IsFresh(int ord) => punches.Fresh.BinarySearch(ord) >= 0;
    }

    /// <summary>The shifts of the batch's new punches, with one binary COPY (they cannot exist yet).</summary>
    private static async Task<int> CopyNewShiftsAsync(
        NpgsqlConnection connection, string userId, (RawPunch Punch, Shift Shift)[] incoming, AppliedPunches punches,
        Dictionary<int, Shift> fixedFacts, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (punches.Fresh.Count == 0)
        {
            return 0;
        }

        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY shifts (user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, rounded_start_at, rounded_end_at,
                         worked_minutes, paid_minutes, status, note, edited, source, updated_at)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        for (var i = 0; i < punches.Fresh.Count; i++)
        {
            var ord = punches.Fresh[i];
            var (punch, planned) = incoming[ord];
            var facts = fixedFacts.GetValueOrDefault(ord) ?? planned;
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(userId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(punch.JobId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(punches.FreshIds[i], NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(facts.LocalDate, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(punch.InAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await BinaryCopy.WriteAsync(writer, punch.OutAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(facts.TimeZone, NpgsqlDbType.Text, cancellationToken);
            await BinaryCopy.WriteAsync(writer, punch.InRounded, NpgsqlDbType.TimestampTz, cancellationToken);
            await BinaryCopy.WriteAsync(writer, punch.OutRounded, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(facts.WorkedMinutes, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(facts.PaidMinutes, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(DbNames.Of(facts.Status), NpgsqlDbType.Text, cancellationToken);
            await BinaryCopy.WriteAsync(writer, facts.Note, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(facts.Edited, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(source, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        return (int)await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>The punches the merge changed, from its record of them.</summary>
    private static async Task<List<(int Ord, Shift Shift)>> ReadChangedAsync(
        NpgsqlConnection connection, (RawPunch Punch, Shift Shift)[] incoming, CancellationToken cancellationToken)
    {
        var changed = new List<(int Ord, Shift Shift)>();
        await using var command = new NpgsqlCommand("SELECT ord FROM punch_applied ORDER BY ord", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var ord = reader.GetInt32(0);
            changed.Add((ord, incoming[ord].Shift));
        }

        return changed;
    }

    /// <summary>The days the changed punches' shifts were on before this batch moved them.</summary>
    private static async Task<List<(long JobId, DateOnly Date)>> OldDaysAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken)
    {
        var days = new List<(long, DateOnly)>();
        await using var command = new NpgsqlCommand("""
            SELECT sh.job_id, sh.local_date FROM punch_applied a
            JOIN shifts sh ON sh.user_id = @user AND sh.raw_punch_id = a.punch_id
            WHERE NOT a.is_new
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add((reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1)));
        }

        return days;
    }

    /// <summary>
    /// Rewrites the shifts of changed punches (or inserts one a punch lacks); a shift whose meaning did not change is
    /// not written.
    /// </summary>
    private static async Task<int> UpdateChangedShiftsAsync(
        NpgsqlConnection connection, string userId, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO shifts (user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, rounded_start_at, rounded_end_at,
                                worked_minutes, paid_minutes, status, note, edited, source, updated_at)
            SELECT @user, s.job_id, a.punch_id, s.local_date, s.in_at, s.out_at, s.shift_zone, s.in_rounded, s.out_rounded,
                   s.worked_minutes, s.paid_minutes, s.status, s.note, s.shift_edited, @source, @now
            FROM punch_applied a JOIN punch_stage s ON s.ord = a.ord
            ON CONFLICT (user_id, raw_punch_id) DO UPDATE SET
                job_id = excluded.job_id, local_date = excluded.local_date, start_at = excluded.start_at, end_at = excluded.end_at,
                time_zone = excluded.time_zone, rounded_start_at = excluded.rounded_start_at, rounded_end_at = excluded.rounded_end_at,
                worked_minutes = excluded.worked_minutes, paid_minutes = excluded.paid_minutes, status = excluded.status,
                note = excluded.note, edited = excluded.edited, source = excluded.source, updated_at = excluded.updated_at
            WHERE (shifts.job_id, shifts.local_date, shifts.start_at, shifts.end_at, shifts.time_zone, shifts.rounded_start_at,
                   shifts.rounded_end_at, shifts.worked_minutes, shifts.paid_minutes, shifts.status, shifts.note, shifts.edited)
                  IS DISTINCT FROM (excluded.job_id, excluded.local_date, excluded.start_at, excluded.end_at, excluded.time_zone,
                   excluded.rounded_start_at, excluded.rounded_end_at, excluded.worked_minutes, excluded.paid_minutes, excluded.status,
                   excluded.note, excluded.edited)
            """, connection);
        upsert.Parameters.AddWithValue("user", userId);
        upsert.Parameters.AddWithValue("source", source);
        upsert.Parameters.AddWithValue("now", now);
        return await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}
