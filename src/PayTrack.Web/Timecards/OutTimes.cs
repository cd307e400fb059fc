using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;
using PayTrack.Web.Live;

namespace PayTrack.Web.Timecards;

/// <summary>One out time a user entered for a punch without one, and what became of it.</summary>
public sealed record OutTimeRecord(long RawPunchId, DateTimeOffset OutAt, DateTimeOffset EnteredAt, DateTimeOffset? ReplacedAt, DateTimeOffset? KronosOutAt);

/// <summary>An out time from a backup file: its punch by job and identity (<see cref="IngestPlanner.KeyOf"/>), and its history.</summary>
internal sealed record OutTimeImport(long EmployeeId, long PayRuleId, string PunchKey, DateTimeOffset OutAt, DateTimeOffset EnteredAt, DateTimeOffset? ReplacedAt, DateTimeOffset? KronosOutAt);

/// <summary>
/// The fix of a missed out-punch: the user enters the out time of that very shift (the in time stays the timecard's),
/// and the shift counts at once. The punch itself stays as received; the entry is kept beside it and applied by every
/// writer of the timecard after its own changes. When Kronos delivers the supervisor's fix, Kronos wins: the entry is
/// marked replaced and stays as the shift's history.
/// </summary>
public sealed class OutTimes(TimecardDatabase database, IOptions<TimecardOptions> options, ILiveNotifier live, TimeProvider clock)
{
    public async Task<Outcome> EnterAsync(string userId, long shiftId, DateTimeOffset outAt, CancellationToken cancellationToken)
    {
        outAt = outAt.ToUniversalTime();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        await using (var find = new NpgsqlCommand("""
            SELECT sh.raw_punch_id, p.in_at, p.out_at
            FROM shifts sh JOIN raw_punches p ON p.id = sh.raw_punch_id AND p.user_id = @user
            WHERE sh.id = @id AND sh.user_id = @user
            """, connection))
        {
            find.Parameters.AddWithValue("id", shiftId);
            find.Parameters.AddWithValue("user", userId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return Outcome.NotFound("There is no such shift of yours to change.");
            }

            if (!reader.IsDBNull(2))
            {
                return Outcome.Refused("Your timecard already has this shift's out time.");
            }

            if (Problem(reader.GetFieldValue<DateTimeOffset>(1), outAt) is { } problem)
            {
                return Outcome.Invalid(problem);
            }

            var rawPunchId = reader.GetInt64(0);
            await reader.DisposeAsync();
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO out_time_entries (user_id, raw_punch_id, out_at, entered_at) VALUES (@user, @punch, @out, @now)
                ON CONFLICT (user_id, raw_punch_id) WHERE replaced_at IS NULL DO UPDATE SET out_at = excluded.out_at, entered_at = excluded.entered_at
                """, connection);
            upsert.Parameters.AddWithValue("user", userId);
            upsert.Parameters.AddWithValue("punch", rawPunchId);
            upsert.Parameters.AddWithValue("out", outAt);
            upsert.Parameters.AddWithValue("now", clock.GetUtcNow());
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await ApplyAsync(connection, userId, new CleaningRules(options.Value.MaxShift), clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The change is made: the user's open pages and the Notion sync hear of it even if the caller has gone.
        await live.PublishAsync(LiveEvent.Changed(userId, "manual"), CancellationToken.None);
        return Outcome.Ok();
    }

    /// <summary>What is wrong with this out time for a shift that began at <paramref name="inAt"/>, or null: the page and a backup file share it.</summary>
    internal static string? Problem(DateTimeOffset inAt, DateTimeOffset outAt) =>
        outAt <= inAt ? "The out time must be after the in time."
        : outAt - inAt > TimeSpan.FromDays(1) ? "A shift can last at most 24 hours."
        : null;

    /// <summary>The entries behind the given punches, oldest first.</summary>
    public static async Task<ILookup<long, OutTimeRecord>> HistoryAsync(NpgsqlConnection connection, string userId, long[] rawPunchIds, CancellationToken cancellationToken)
    {
        var records = new List<OutTimeRecord>();
        if (rawPunchIds.Length > 0)
        {
            await using var command = new NpgsqlCommand("""
                SELECT raw_punch_id, out_at, entered_at, replaced_at, kronos_out_at FROM out_time_entries
                WHERE user_id = @user AND raw_punch_id = ANY(@punches) ORDER BY entered_at, id
                """, connection);
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("punches", rawPunchIds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(new OutTimeRecord(
                    reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        return records.ToLookup(r => r.RawPunchId);
    }

    /// <summary>Each out time of a backup must name a punch of the same file: a restore brings the punch and its fix together.</summary>
    internal static IEnumerable<IngestProblemInfo> Check(IngestPlan plan, IReadOnlyList<OutTimeImport> outTimes)
    {
        var punches = plan.Jobs.SelectMany(j => j.Punches.Select(p => (j.Job.EmployeeId, j.Job.PayRuleId, p.Punch.PunchKey))).ToHashSet();
        for (var i = 0; i < outTimes.Count; i++)
        {
            var entry = outTimes[i];
            if (!punches.Contains((entry.EmployeeId, entry.PayRuleId, entry.PunchKey)))
            {
                yield return new IngestProblemInfo(string.Create(CultureInfo.InvariantCulture, $"$.outTimes[{i}]"),
                    IngestPlanner.Describe(entry.EmployeeId, entry.PayRuleId) + " has no punch with this id and in time in the file's timecards.");
            }
        }
    }

    /// <summary>
    /// Inside an import's transaction, after its punches are stored: adds the file's out times the user does not have
    /// yet (the same punch, out time and time of entry). An entry in force never displaces the user's own entry in force
    /// for that punch. Returns how many were added.
    /// </summary>
    internal static async Task<int> ImportAsync(
        NpgsqlConnection connection, string userId, IReadOnlyList<OutTimeImport> outTimes, Dictionary<(long, long), long> jobIds, CancellationToken cancellationToken)
    {
        if (outTimes.Count == 0)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO out_time_entries (user_id, raw_punch_id, out_at, entered_at, replaced_at, kronos_out_at)
            SELECT @user, p.id, e.out_at, e.entered_at, e.replaced_at, e.kronos_out_at
            FROM unnest(@jobs, @keys, @outs, @entered, @replaced, @kronos) AS e(job_id, punch_key, out_at, entered_at, replaced_at, kronos_out_at)
            JOIN raw_punches p ON p.user_id = @user AND p.job_id = e.job_id AND p.punch_key = e.punch_key
            WHERE NOT EXISTS (SELECT 1 FROM out_time_entries x
                              WHERE x.user_id = @user AND x.raw_punch_id = p.id AND x.out_at = e.out_at AND x.entered_at = e.entered_at)
            ON CONFLICT DO NOTHING
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("jobs", outTimes.Select(o => jobIds[(o.EmployeeId, o.PayRuleId)]).ToArray());
        command.Parameters.AddWithValue("keys", outTimes.Select(o => o.PunchKey).ToArray());
        command.Parameters.AddWithValue("outs", outTimes.Select(o => o.OutAt).ToArray());
        command.Parameters.AddWithValue("entered", outTimes.Select(o => o.EnteredAt).ToArray());
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("replaced", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = outTimes.Select(o => o.ReplacedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("kronos", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = outTimes.Select(o => o.KronosOutAt).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Inside a writer's transaction, after its own changes: entries whose punch now has Kronos's out time are marked
    /// replaced (Kronos wins); the shifts of entries still in force are closed with the user's out time.
    /// </summary>
    internal static async Task ApplyAsync(NpgsqlConnection connection, string userId, CleaningRules rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var replace = new NpgsqlCommand("""
            UPDATE out_time_entries e SET replaced_at = @now, kronos_out_at = p.out_at
            FROM raw_punches p
            WHERE e.user_id = @user AND e.replaced_at IS NULL AND p.id = e.raw_punch_id AND p.user_id = @user AND p.out_at IS NOT NULL
            """, connection))
        {
            replace.Parameters.AddWithValue("user", userId);
            replace.Parameters.AddWithValue("now", now);
            await replace.ExecuteNonQueryAsync(cancellationToken);
        }

        var fixes = new List<Shift>();
        await using (var open = new NpgsqlCommand("""
            SELECT sh.id, sh.job_id, sh.raw_punch_id, sh.time_zone, sh.end_at, sh.note,
                   p.in_at, p.in_rounded, p.time_zone, p.edited, e.out_at, p.punch_key
            FROM out_time_entries e
            JOIN shifts sh ON sh.user_id = @user AND sh.raw_punch_id = e.raw_punch_id
            JOIN raw_punches p ON p.id = e.raw_punch_id AND p.user_id = @user
            WHERE e.user_id = @user AND e.replaced_at IS NULL
            """, connection))
        {
            open.Parameters.AddWithValue("user", userId);
            await using var reader = await open.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var outAt = reader.GetFieldValue<DateTimeOffset>(10);
                // The punch as the rules read it with the user's out time: the timecard's own stays as received.
                var punch = new RawPunch
                {
                    Id = reader.GetInt64(2),
                    UserId = userId,
                    JobId = reader.GetInt64(1),
                    PunchKey = reader.GetString(11),
                    InAt = reader.GetFieldValue<DateTimeOffset>(6),
                    OutAt = outAt,
                    EndReason = CleaningRules.NormalEnd,
                    InRounded = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    TimeZone = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Edited = !reader.IsDBNull(9) && reader.GetBoolean(9),
                };
                var shift = rules.FromPunch(punch, reader.GetString(3));
                const string Entered = "You entered the out time; if your supervisor's fix reaches Kronos, it replaces yours.";
                shift.Note = shift.Note is null ? Entered : shift.Note + " " + Entered;
                shift.Id = reader.GetInt64(0);
                var storedEnd = reader.IsDBNull(4) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(4);
                var storedNote = reader.IsDBNull(5) ? null : reader.GetString(5);
                if (storedEnd != outAt || storedNote != shift.Note)
                {
                    fixes.Add(shift);
                }
            }
        }

        await ShiftRecompute.WriteStoredAsync(connection, userId, fixes, now, cancellationToken);
    }
}
