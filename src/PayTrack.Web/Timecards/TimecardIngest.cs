using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

public enum IngestSource
{
    Kronos,
    Import,
}

/// <summary>The outcome of one ingest: counts of punches and the problems that stopped it (then nothing was stored).</summary>
public sealed record IngestResult(
    long BatchId,
    bool Succeeded,
    int New,
    int Changed,
    int Unchanged,
    int ShiftsWritten,
    IReadOnlyList<IngestProblemInfo> Problems,
    string? Message = null)
{
    /// <summary>One line for people: the counts, or what went wrong first.</summary>
    public string Summary => Succeeded
        ? string.Create(CultureInfo.InvariantCulture, $"{New} new, {Changed} changed, {Unchanged} unchanged punches; {ShiftsWritten} shifts written.")
        : "Nothing was stored: " + (Message ?? Problems.Select(p => p.ToString() + (p.ToString().EndsWith('.') ? "" : ".")).FirstOrDefault() ?? "")
          + (Message is null && Problems.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({Problems.Count - 1} more problems.)") : "");
}

/// <summary>A manual shift carried by a backup file.</summary>
internal sealed record ManualShiftImport(long EmployeeId, long PayRuleId, DateTimeOffset StartAt, DateTimeOffset EndAt, string TimeZone, string? Note);

/// <summary>
/// Stores a batch of punches: validation and cleaning in memory, then one transaction. It looks up which punches are
/// stored already; new ones are binary-COPYed straight into raw_punches and their shifts into shifts; stored ones are
/// binary-COPYed into a temporary staging table and merged set-based (a newer version replaces the stored one after
/// the old version is copied to the history; identical ones are untouched) and their shifts rewritten when their
/// meaning changed. Ingesting the same data again writes no punch and no shift.
/// </summary>
public sealed partial class TimecardIngest(
    TimecardDatabase database,
    IDbContextFactory<PayTrackDbContext> contexts,
    IOptions<TimecardOptions> options,
    TimeProvider clock,
    ILogger<TimecardIngest> logger)
{
    public Task<IngestResult> IngestAsync(
        string userId,
        EmployeeList jobs,
        IReadOnlyList<JobTimecard> timecards,
        IngestSource source,
        string defaultTimeZone,
        CancellationToken cancellationToken) =>
        IngestCoreAsync(userId, jobs, timecards, source, defaultTimeZone, [], [], cancellationToken);

    internal async Task<IngestResult> IngestCoreAsync(
        string userId,
        EmployeeList jobs,
        IReadOnlyList<JobTimecard> timecards,
        IngestSource source,
        string defaultTimeZone,
        IReadOnlyList<ManualShiftImport> manualShifts,
        IReadOnlyList<OutTimeImport> outTimes,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var rules = new CleaningRules(options.Value.MaxShift);
        var started = clock.GetTimestamp();
        var plan = IngestPlanner.Plan(userId, jobs, timecards, defaultTimeZone, rules);
        var problems = plan.Problems.Count > 0 ? plan.Problems : [.. CheckManual(plan, manualShifts), .. OutTimes.Check(plan, outTimes)];
        if (problems.Count > 0)
        {
            return await RecordFailureAsync(userId, source, problems, null, cancellationToken);
        }

        try
        {
            return await StoreAsync(userId, plan, source, rules, (manualShifts, outTimes), clock.GetElapsedTime(started), cancellationToken);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(logger, ex, userId);
            try
            {
                await RecordFailureAsync(userId, source, [], "The database refused the batch; nothing of it was stored.", CancellationToken.None);
            }
            catch (Exception recordEx) when (recordEx is NpgsqlException or DbUpdateException)
            {
                // The database is likely unreachable; the original error is the one worth rethrowing.
                LogRecordFailed(logger, recordEx, userId);
            }

            throw;
        }
    }

    /// <summary>How many problems of a refused batch are stored to show; the count is stored whole.</summary>
    public const int StoredProblems = 20;

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>Records a batch that stored nothing, with its problems, so the user can see why.</summary>
    public async Task<IngestResult> RecordFailureAsync(
        string userId, IngestSource source, IReadOnlyList<IngestProblemInfo> problems, string? message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new IngestBatch
        {
            UserId = userId,
            Source = ToShiftSource(source),
            Status = IngestBatchStatus.Failed,
            StartedAt = now,
            FinishedAt = now,
            ProblemCount = problems.Count,
            Message = message is null ? null : Cut(message, 300),
        };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        // The problems a page shows; a file broken everywhere keeps its count, not thousands of rows.
        db.IngestProblems.AddRange(problems.Take(StoredProblems).Select(p => new IngestProblem
        {
            BatchId = batch.Id,
            UserId = userId,
            Location = Cut(p.Location, 200),
            Message = Cut(p.Message, 300),
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(batch.Id, false, 0, 0, 0, 0, problems, message);
    }

    private async Task<IngestResult> StoreAsync(
        string userId, IngestPlan plan, IngestSource source, CleaningRules rules,
        (IReadOnlyList<ManualShiftImport> Shifts, IReadOnlyList<OutTimeImport> OutTimes) manual, TimeSpan planTime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var phase = clock.GetTimestamp();
        var sourceName = DbNames.Of(ToShiftSource(source));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (jobIds, batchId) = await BeginBatchAsync(connection, userId, plan, sourceName, now, cancellationToken);
        var incoming = Incoming(plan, jobIds, ToShiftSource(source));
        var (fresh, known, same) = await SplitKnownAsync(connection, userId, incoming, cancellationToken);
        int changedCount = 0, matched = 0;
        if (known.Count > 0)
        {
            await StageAsync(connection, incoming, known, cancellationToken);
        }

        var stageTime = clock.GetElapsedTime(phase);
        phase = clock.GetTimestamp();
        if (known.Count > 0)
        {
            (changedCount, matched) = await MergePunchesAsync(connection, userId, batchId, sourceName, now, cancellationToken);
        }

        var freshIds = await CopyNewPunchesAsync(connection, userId, batchId, sourceName, now, incoming, fresh, cancellationToken);
        var newCount = fresh.Count;
        var mergeTime = clock.GetElapsedTime(phase);
        phase = clock.GetTimestamp();

        var manualDates = await InsertManualAsync(connection, userId, manual.Shifts, jobIds, rules, now, cancellationToken);
        var shiftsWritten = manualDates.Count;
        if (newCount + changedCount + manualDates.Count > 0)
        {
            shiftsWritten += await WriteShiftsAsync(
                connection, userId, incoming, new AppliedPunches(fresh, freshIds, changedCount), manualDates, rules, sourceName, now, cancellationToken);
        }

        // A user's out time closes its shift until Kronos delivers the punch's own (then Kronos wins).
        if (await OutTimes.ImportAsync(connection, userId, manual.OutTimes, jobIds, cancellationToken) + newCount + changedCount + manualDates.Count > 0)
        {
            await OutTimes.ApplyAsync(connection, userId, rules, now, cancellationToken);
        }

        var shiftsTime = clock.GetElapsedTime(phase);
        await InsertRangesAsync(connection, userId, batchId, plan.Jobs, jobIds, cancellationToken);
        var unchanged = same + matched - changedCount;
        await FinishBatchAsync(connection, batchId, clock.GetUtcNow(), (newCount, changedCount, unchanged, shiftsWritten), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStored(logger, batchId, userId, newCount, changedCount, unchanged, shiftsWritten,
            (long)planTime.TotalMilliseconds, (long)stageTime.TotalMilliseconds, (long)mergeTime.TotalMilliseconds, (long)shiftsTime.TotalMilliseconds);
        return new IngestResult(batchId, true, newCount, changedCount, unchanged, shiftsWritten, []);
    }

    /// <summary>The batch's punches with their shifts, in one array (a punch's place in it is its "ord"), their job and source set.</summary>
    private static (RawPunch Punch, Shift Shift)[] Incoming(IngestPlan plan, Dictionary<(long, long), long> jobIds, ShiftSource source)
    {
        var incoming = new (RawPunch Punch, Shift Shift)[plan.PunchCount];
        var ord = 0;
        foreach (var job in plan.Jobs)
        {
            var jobId = jobIds[(job.Job.EmployeeId, job.Job.PayRuleId)];
            foreach (var (punch, shift) in job.Punches)
            {
                punch.JobId = shift.JobId = jobId;
                punch.Source = shift.Source = source;
                incoming[ord++] = (punch, shift);
            }
        }

        return incoming;
    }

    /// <summary>Session settings, the user's lock, the jobs (inserted or updated) and the batch's row.</summary>
    private static async Task<(Dictionary<(long, long), long> JobIds, long BatchId)> BeginBatchAsync(
        NpgsqlConnection connection, string userId, IngestPlan plan, string sourceName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var settings = new NpgsqlCommand("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", connection))
        {
            // The batch's statements are plain bulk writes: their large row estimates would buy JIT compilation they never
            // repay, and joining a large batch with its staging table should hash in memory rather than sort on disk.
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);
        var jobIds = await UpsertJobsAsync(connection, userId, plan.Jobs, now, cancellationToken);
        var batchId = await ScalarAsync<long>(connection, """
            INSERT INTO ingest_batches (user_id, source, status, started_at, new_count, changed_count, unchanged_count, shifts_written, problem_count)
            VALUES (@user, @source, 'running', @now, 0, 0, 0, 0, 0) RETURNING id
            """, cancellationToken, ("user", userId), ("source", sourceName), ("now", now));

        return (jobIds, batchId);
    }

    private static async Task FinishBatchAsync(
        NpgsqlConnection connection, long batchId, DateTimeOffset finished, (int New, int Changed, int Unchanged, int Shifts) counts, CancellationToken cancellationToken)
    {
        await using var finish = new NpgsqlCommand("""
            UPDATE ingest_batches SET status = 'succeeded', finished_at = @finished, new_count = @new, changed_count = @changed,
                   unchanged_count = @unchanged, shifts_written = @shifts
            WHERE id = @batch
            """, connection);
        finish.Parameters.AddWithValue("finished", finished);
        finish.Parameters.AddWithValue("new", counts.New);
        finish.Parameters.AddWithValue("changed", counts.Changed);
        finish.Parameters.AddWithValue("unchanged", counts.Unchanged);
        finish.Parameters.AddWithValue("shifts", counts.Shifts);
        finish.Parameters.AddWithValue("batch", batchId);
        await finish.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<(long, long), long>> UpsertJobsAsync(
        NpgsqlConnection connection, string userId, IReadOnlyList<PlannedJob> jobs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wire = jobs.Select(j => j.Job).ToList();
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO jobs (user_id, employee_id, pay_rule_id, first_name, badge_number, department, base_wage_rate, hire_date, created_at, updated_at)
            SELECT @user, j.employee_id, j.pay_rule_id, j.first_name, j.badge_number, j.department, j.base_wage_rate, j.hire_date, @now, @now
            FROM unnest(@employees, @rules, @names, @badges, @departments, @wages, @hires)
                 AS j(employee_id, pay_rule_id, first_name, badge_number, department, base_wage_rate, hire_date)
            ON CONFLICT (user_id, employee_id, pay_rule_id) DO UPDATE SET
                first_name = excluded.first_name, badge_number = excluded.badge_number, department = excluded.department,
                base_wage_rate = COALESCE(excluded.base_wage_rate, jobs.base_wage_rate), hire_date = excluded.hire_date, updated_at = excluded.updated_at
            WHERE (jobs.first_name, jobs.badge_number, jobs.department, jobs.base_wage_rate, jobs.hire_date)
                  IS DISTINCT FROM (excluded.first_name, excluded.badge_number, excluded.department, COALESCE(excluded.base_wage_rate, jobs.base_wage_rate), excluded.hire_date)
            """, connection))
        {
            upsert.Parameters.AddWithValue("user", userId);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("employees", wire.Select(j => j.EmployeeId).ToArray());
            upsert.Parameters.AddWithValue("rules", wire.Select(j => j.PayRuleId).ToArray());
            upsert.Parameters.Add(new NpgsqlParameter<string?[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = wire.Select(j => j.FirstName).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<long?[]>("badges", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = wire.Select(j => j.BadgeNum).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]>("departments", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = wire.Select(j => j.DepartmentDesc).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<decimal?[]>("wages", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = wire.Select(j => j.BaseWageRate).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<DateOnly?[]>("hires", NpgsqlDbType.Array | NpgsqlDbType.Date)
            {
                TypedValue = wire.Select(j => j.HireDate is { } hire ? DateOnly.FromDateTime(hire.DateTime) : (DateOnly?)null).ToArray(),
            });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        var ids = new Dictionary<(long, long), long>();
        await using var select = new NpgsqlCommand("SELECT id, employee_id, pay_rule_id FROM jobs WHERE user_id = @user", connection);
        select.Parameters.AddWithValue("user", userId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[(reader.GetInt64(1), reader.GetInt64(2))] = reader.GetInt64(0);
        }

        return ids;
    }

    /// <summary>
    /// Which punches of the batch are stored already (by the unique key user, job, punch key). New punches skip the
    /// staging table: they are binary-COPYed straight into raw_punches and their shifts into shifts. The caller holds
    /// the user's lock, so nothing can store one of them in between.
    /// </summary>
    /// <summary>
    /// Sorts the incoming punches by what is stored: new ones (no stored punch with that identity), ones stored with every
    /// field the same (unchanged: nothing to stage or merge, the daily case), and the rest, which the merge decides.
    /// </summary>
    private static async Task<(List<int> Fresh, List<int> Known, int Same)> SplitKnownAsync(
        NpgsqlConnection connection, string userId, (RawPunch Punch, Shift Shift)[] incoming, CancellationToken cancellationToken)
    {
        var stored = new bool?[incoming.Length]; // null: new; true: stored and the same; false: stored and different
        await using (var command = new NpgsqlCommand("""
            SELECT k.ord::integer - 1,
                   (k.site_id, k.in_at, k.out_at, k.end_reason, k.in_rounded, k.out_rounded, k.time_zone, k.edited, k.updated_on)
                       IS NOT DISTINCT FROM (p.site_id, p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded, p.time_zone, p.edited, p.updated_on)
            FROM unnest(@jobs, @keys, @sites, @ins, @outs, @reasons, @in_rounded, @out_rounded, @zones, @edited, @updated)
                 WITH ORDINALITY AS k(job_id, punch_key, site_id, in_at, out_at, end_reason, in_rounded, out_rounded, time_zone, edited, updated_on, ord)
            JOIN raw_punches p ON p.user_id = @user AND p.job_id = k.job_id AND p.punch_key = k.punch_key
            """, connection))
        {
            var punches = incoming.Select(s => s.Punch).ToArray();
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("jobs", punches.Select(p => p.JobId).ToArray());
            command.Parameters.AddWithValue("keys", punches.Select(p => p.PunchKey).ToArray());
            command.Parameters.Add(new NpgsqlParameter<string?[]>("sites", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.SiteId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ins", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.InAt).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("outs", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.OutAt).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string[]>("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.EndReason).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("in_rounded", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.InRounded).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("out_rounded", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.OutRounded).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string?[]>("zones", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.TimeZone).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<bool?[]>("edited", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = punches.Select(p => p.Edited).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.UpdatedOn).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetInt32(0)] = reader.GetBoolean(1);
            }
        }

        var fresh = new List<int>();
        var known = new List<int>();
        var same = 0;
        for (var ord = 0; ord < incoming.Length; ord++)
        {
            switch (stored[ord])
            {
                case null: fresh.Add(ord); break;
                case true: same++; break;
                default: known.Add(ord); break;
            }
        }

        return (fresh, known, same);
    }

    /// <summary>Inserts the batch's new punches with one binary COPY; returns their ids, in the order of <paramref name="fresh"/>.</summary>
    private static async Task<long[]> CopyNewPunchesAsync(
        NpgsqlConnection connection, string userId, long batchId, string source, DateTimeOffset now, (RawPunch Punch, Shift Shift)[] incoming,
        List<int> fresh, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0)
        {
            return [];
        }

        // Ids come from the table's own sequence, reserved in one statement, so the shifts can name their punches.
        var ids = new long[fresh.Count];
        await using (var reserve = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('raw_punches', 'id')) FROM generate_series(1, @count)", connection))
        {
            reserve.Parameters.AddWithValue("count", fresh.Count);
            await using var reader = await reserve.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
            {
                ids[i] = reader.GetInt64(0);
            }
        }

        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY raw_punches (id, user_id, job_id, punch_key, site_id, in_at, out_at, end_reason, in_rounded, out_rounded, time_zone, edited,
                              updated_on, wire_day, version, source, batch_id, first_batch_id, first_seen_at, changed_at)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        for (var i = 0; i < fresh.Count; i++)
        {
            var punch = incoming[fresh[i]].Punch;
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(userId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(punch.JobId, NpgsqlDbType.Bigint, cancellationToken);
            await WritePunchFieldsAsync(writer, punch, cancellationToken);
            await writer.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(source, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(batchId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(batchId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return ids;
    }

    /// <summary>Copies the batch's already-stored punches into a temporary staging table, for the set-based merge.</summary>
    private static async Task StageAsync(NpgsqlConnection connection, (RawPunch Punch, Shift Shift)[] incoming, List<int> known, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE punch_stage (
                ord integer NOT NULL, job_id bigint NOT NULL, punch_key text NOT NULL, site_id text,
                in_at timestamptz NOT NULL, out_at timestamptz, end_reason text NOT NULL, in_rounded timestamptz, out_rounded timestamptz,
                time_zone text, edited boolean, updated_on timestamptz, wire_day date,
                local_date date NOT NULL, shift_zone text NOT NULL, worked_minutes integer NOT NULL, paid_minutes integer NOT NULL,
                status text NOT NULL, note text, shift_edited boolean NOT NULL
            ) ON COMMIT DROP;
            CREATE TEMP TABLE punch_applied (ord integer NOT NULL, punch_id bigint NOT NULL, is_new boolean NOT NULL) ON COMMIT DROP;
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY punch_stage (ord, job_id, punch_key, site_id, in_at, out_at, end_reason, in_rounded, out_rounded, time_zone, edited, updated_on,
                              wire_day, local_date, shift_zone, worked_minutes, paid_minutes, status, note, shift_edited)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var ord in known)
            {
                var (punch, facts) = incoming[ord];
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(punch.JobId, NpgsqlDbType.Bigint, cancellationToken);
                await WritePunchFieldsAsync(writer, punch, cancellationToken);
                await writer.WriteAsync(facts.LocalDate, NpgsqlDbType.Date, cancellationToken);
                await writer.WriteAsync(facts.TimeZone, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(facts.WorkedMinutes, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(facts.PaidMinutes, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(DbNames.Of(facts.Status), NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, facts.Note, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(facts.Edited, NpgsqlDbType.Boolean, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The set-based merge of the incoming (already stored) punches. A incoming punch replaces the stored one only when a field differs
    /// and it is not older (by updatedOn) than what is stored; the day a punch is filed under is a container, not a
    /// fact of the punch, so it alone never makes a new version.
    /// </summary>
    private static async Task<(int Changed, int Matched)> MergePunchesAsync(
        NpgsqlConnection connection, string userId, long batchId, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var merge = new NpgsqlCommand("""
            WITH m AS MATERIALIZED (
                SELECT s.ord, p.id,
                       (s.site_id, s.in_at, s.out_at, s.end_reason, s.in_rounded, s.out_rounded, s.time_zone, s.edited, s.updated_on)
                           IS DISTINCT FROM (p.site_id, p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded, p.time_zone, p.edited, p.updated_on)
                       AND (p.updated_on IS NULL OR s.updated_on >= p.updated_on) AS apply
                FROM punch_stage s
                JOIN raw_punches p ON p.user_id = @user AND p.job_id = s.job_id AND p.punch_key = s.punch_key
            ),
            history AS (
                INSERT INTO raw_punch_versions (user_id, raw_punch_id, job_id, version, site_id, in_at, out_at, end_reason, in_rounded, out_rounded,
                                                time_zone, edited, updated_on, wire_day, source, batch_id, valid_from, valid_to, replaced_by_batch_id)
                SELECT p.user_id, p.id, p.job_id, p.version, p.site_id, p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded,
                       p.time_zone, p.edited, p.updated_on, p.wire_day, p.source, p.batch_id, p.changed_at, @now, @batch
                FROM m JOIN raw_punches p ON p.id = m.id
                WHERE m.apply
                RETURNING 1
            ),
            changed AS (
                UPDATE raw_punches p SET site_id = s.site_id, in_at = s.in_at, out_at = s.out_at, end_reason = s.end_reason,
                       in_rounded = s.in_rounded, out_rounded = s.out_rounded, time_zone = s.time_zone, edited = s.edited,
                       updated_on = s.updated_on, wire_day = s.wire_day, version = p.version + 1, source = @source,
                       batch_id = @batch, changed_at = @now
                FROM m JOIN punch_stage s ON s.ord = m.ord
                WHERE p.id = m.id AND m.apply
                RETURNING m.ord, p.id
            ),
            applied AS (
                INSERT INTO punch_applied (ord, punch_id, is_new)
                SELECT ord, id, false FROM changed
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM m), (SELECT count(*) FROM history), (SELECT count(*) FROM applied)
            """, connection);
        merge.Parameters.AddWithValue("user", userId);
        merge.Parameters.AddWithValue("batch", batchId);
        merge.Parameters.AddWithValue("source", source);
        merge.Parameters.AddWithValue("now", now);
        await using var reader = await merge.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    /// <summary>Adds the backup's manual shifts that the user does not have yet (same job, start and end); returns their days.</summary>
    private static async Task<List<(long JobId, DateOnly Date)>> InsertManualAsync(
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
    private sealed record AppliedPunches(List<int> Fresh, long[] FreshIds, int ChangedCount);

    /// <summary>
    /// Writes the shifts of the punches the batch applied, with the overlap rule run over them and their stored
    /// neighbours; neighbours whose flags change are rewritten too. Returns the number of shift rows written.
    /// </summary>
    private static async Task<int> WriteShiftsAsync(
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
            await WriteAsync(writer, punch.OutAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(facts.TimeZone, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, punch.InRounded, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteAsync(writer, punch.OutRounded, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(facts.WorkedMinutes, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(facts.PaidMinutes, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(DbNames.Of(facts.Status), NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, facts.Note, NpgsqlDbType.Text, cancellationToken);
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

    private static async Task InsertRangesAsync(
        NpgsqlConnection connection, string userId, long batchId, IReadOnlyList<PlannedJob> jobs, Dictionary<(long, long), long> jobIds, CancellationToken cancellationToken)
    {
        var covered = jobs.Where(j => j.FromDate is not null).ToList();
        if (covered.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest_ranges (batch_id, user_id, job_id, from_date, to_date)
            SELECT @batch, @user, r.job_id, r.from_date, r.to_date FROM unnest(@jobs, @froms, @tos) AS r(job_id, from_date, to_date)
            """, connection);
        command.Parameters.AddWithValue("batch", batchId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("jobs", covered.Select(j => jobIds[(j.Job.EmployeeId, j.Job.PayRuleId)]).ToArray());
        command.Parameters.AddWithValue("froms", covered.Select(j => j.FromDate!.Value).ToArray());
        command.Parameters.AddWithValue("tos", covered.Select(j => j.ToDate!.Value).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<IngestProblemInfo> CheckManual(IngestPlan plan, IReadOnlyList<ManualShiftImport> manualShifts)
    {
        var problems = new List<IngestProblemInfo>();
        var jobs = plan.Jobs.Select(j => (j.Job.EmployeeId, j.Job.PayRuleId)).ToHashSet();
        for (var i = 0; i < manualShifts.Count; i++)
        {
            var manual = manualShifts[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"$.manualShifts[{i}]");
            if (!jobs.Contains((manual.EmployeeId, manual.PayRuleId)))
            {
                problems.Add(new IngestProblemInfo(at, IngestPlanner.Describe(manual.EmployeeId, manual.PayRuleId) + " is not in the employee list."));
            }
            else if (!CleaningRules.IsKnownZone(manual.TimeZone))
            {
                problems.Add(new IngestProblemInfo(at + ".timezone", $"'{manual.TimeZone}' is not a known IANA time zone."));
            }
            else if (ManualShifts.Check(manual.StartAt, manual.EndAt, manual.Note) is { } problem)
            {
                problems.Add(new IngestProblemInfo(at + "." + problem.Field, problem.Message));
            }
        }

        return problems;
    }

    internal static ShiftSource ToShiftSource(IngestSource source) => source == IngestSource.Kronos ? ShiftSource.Kronos : ShiftSource.Import;

    /// <summary>The punch's fields as the site sent them, from punch_key to wire_day, in the column order both COPYs use.</summary>
    private static async Task WritePunchFieldsAsync(NpgsqlBinaryImporter writer, RawPunch punch, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(punch.PunchKey, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(writer, punch.SiteId, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(punch.InAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(writer, punch.OutAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteAsync(punch.EndReason, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(writer, punch.InRounded, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(writer, punch.OutRounded, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(writer, punch.TimeZone, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(writer, punch.Edited, NpgsqlDbType.Boolean, cancellationToken);
        await WriteAsync(writer, punch.UpdatedOn, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(writer, punch.WireDay, NpgsqlDbType.Date, cancellationToken);
    }

    private static ValueTask WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? new ValueTask(writer.WriteAsync(v, type, cancellationToken)) : new ValueTask(writer.WriteNullAsync(cancellationToken));

    private static ValueTask WriteAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? new ValueTask(writer.WriteNullAsync(cancellationToken)) : new ValueTask(writer.WriteAsync(value, type, cancellationToken));

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest batch {BatchId} for user {UserId}: {Added} new, {Changed} changed, {Unchanged} unchanged punches, "
        + "{Shifts} shifts written; milliseconds spent: plan {PlanMs}, stage {StageMs}, merge {MergeMs}, shifts {ShiftsMs}")]
    private static partial void LogStored(ILogger logger, long batchId, string userId, int added, int changed, int unchanged, int shifts, long planMs, long stageMs, long mergeMs, long shiftsMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failed ingest batch for user {UserId} could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing an ingest batch for user {UserId} failed; the transaction was rolled back")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string userId);
}
