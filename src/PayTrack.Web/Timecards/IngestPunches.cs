using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Timecards;

/// <summary>
/// The ingest's punch writes, inside the caller's transaction and user lock: the batch's row, the jobs, the split of
/// new from stored punches, the binary COPY of new ones, the staging table and set-based merge of stored ones, the
/// dates the batch covered.
/// </summary>
internal static class IngestPunches
{
    /// <summary>
    /// The incoming punches (by their place in the plan) sorted by what is stored: new ones, which skip the staging table
    /// (binary-COPYed straight into raw_punches, their shifts into shifts); ones stored with every versioned field the
    /// same (unchanged: nothing to stage or merge, the daily case); and the rest, which the merge decides. Read under the
    /// user's lock, so nothing can store one of them in between.
    /// </summary>
    internal sealed record Split(List<int> Fresh, List<int> Known, int Same)
    {
        public static Split Of(bool?[] stored)
        {
            var (fresh, known, same) = (new List<int>(), new List<int>(), 0);
            for (var ord = 0; ord < stored.Length; ord++)
            {
                switch (stored[ord])
                {
                    case null: fresh.Add(ord); break;
                    case true: same++; break;
                    default: known.Add(ord); break;
                }
            }

            return new Split(fresh, known, same);
        }
    }

    /// <summary>The batch's punches with their shifts, in one array (a punch's place in it is its "ord"), their job and source set.</summary>
    internal static (RawPunch Punch, Shift Shift)[] Incoming(IngestPlan plan, Dictionary<(long, long), long> jobIds, ShiftSource source)
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

    /// <summary>
    /// The fields of a stored punch whose change makes a new version: the identity lookup (unchanged punches) and the
    /// merge (changed ones) compare these same fields. The day a punch is filed under is a container, not one of them.
    /// </summary>
    private static readonly string[] VersionedColumns = ["site_id", "in_at", "out_at", "end_reason", "in_rounded", "out_rounded", "time_zone", "edited", "updated_on"];

    /// <summary>The versioned fields of the row named <paramref name="alias"/>, as one row value for SQL.</summary>
    private static string Versioned(string alias) => "(" + string.Join(", ", VersionedColumns.Select(c => alias + "." + c)) + ")";

    /// <summary>
    /// Session settings, the user's lock, the jobs (inserted or updated), their ids, the batch's row and which punches are
    /// stored already (<see cref="Split"/>), in one round trip: each statement runs after the one before it, so all but
    /// the settings run under the lock, after the jobs are written. A daily update usually finds nothing new, and then
    /// its round trips are most of what it costs.
    /// </summary>
    internal static async Task<(Dictionary<(long, long), long> JobIds, long BatchId, Split Split)> BeginBatchAsync(
        NpgsqlConnection connection, string userId, IngestPlan plan, string sourceName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The batch's statements are plain bulk writes: their large row estimates would buy JIT compilation they never
        // repay, and joining a large batch with its staging table should hash in memory rather than sort on disk.
        var settings = new NpgsqlBatchCommand("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)");
        var lockUser = new NpgsqlBatchCommand(TimecardDatabase.LockUserSql);
        lockUser.Parameters.AddWithValue("user", userId);
        var ids = new NpgsqlBatchCommand("SELECT id AS job_id, employee_id, pay_rule_id FROM jobs WHERE user_id = @user");
        ids.Parameters.AddWithValue("user", userId);
        var batchRow = new NpgsqlBatchCommand("""
            INSERT INTO ingest_batches (user_id, source, status, started_at, new_count, changed_count, unchanged_count, shifts_written, problem_count)
            VALUES (@user, @source, 'running', @now, 0, 0, 0, 0, 0) RETURNING id AS batch_id
            """);
        batchRow.Parameters.AddWithValue("user", userId);
        batchRow.Parameters.AddWithValue("source", sourceName);
        batchRow.Parameters.AddWithValue("now", now);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { settings, lockUser, UpsertJobs(userId, plan.Jobs, now), ids, batchRow, StoredRead(userId, plan) },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var jobIds = new Dictionary<(long, long), long>();
        long? batchId = null;
        var stored = new bool?[plan.PunchCount]; // null: new; true: stored and the same; false: stored and different
        do
        {
            // Each read names its first column; the settings' and the lock's rows are passed over.
            var first = reader.FieldCount > 0 ? reader.GetName(0) : null;
            while (await reader.ReadAsync(cancellationToken))
            {
                switch (first)
                {
                    case "job_id": jobIds[(reader.GetInt64(1), reader.GetInt64(2))] = reader.GetInt64(0); break;
                    case "batch_id": batchId = reader.GetInt64(0); break;
                    case "ord": stored[reader.GetInt32(0)] = reader.GetBoolean(1); break;
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return (jobIds, batchId ?? throw new InvalidOperationException("The ingest batch's row was not returned."), Split.Of(stored));
    }

    /// <summary>
    /// The incoming punches (by their place in the plan, "ord") that are stored already, by the unique key user, job
    /// (its employee and pay rule), punch key, and whether every versioned field is the same.
    /// </summary>
    private static NpgsqlBatchCommand StoredRead(string userId, IngestPlan plan)
    {
        var punches = plan.Jobs.SelectMany(j => j.Punches.Select(p => (j.Job, p.Punch))).ToArray();
        var command = new NpgsqlBatchCommand($"""
            SELECT k.ord::integer - 1 AS ord, {Versioned("k")} IS NOT DISTINCT FROM {Versioned("p")} AS same
            FROM unnest(@employees, @rules, @keys, @sites, @ins, @outs, @reasons, @in_rounded, @out_rounded, @zones, @edited, @updated)
                 WITH ORDINALITY AS k(employee_id, pay_rule_id, punch_key, site_id, in_at, out_at, end_reason, in_rounded, out_rounded, time_zone, edited, updated_on, ord)
            JOIN jobs j ON j.user_id = @user AND j.employee_id = k.employee_id AND j.pay_rule_id = k.pay_rule_id
            JOIN raw_punches p ON p.user_id = @user AND p.job_id = j.id AND p.punch_key = k.punch_key
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("employees", punches.Select(p => p.Job.EmployeeId).ToArray());
        command.Parameters.AddWithValue("rules", punches.Select(p => p.Job.PayRuleId).ToArray());
        command.Parameters.AddWithValue("keys", punches.Select(p => p.Punch.PunchKey).ToArray());
        command.Parameters.Add(new NpgsqlParameter<string?[]>("sites", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.Punch.SiteId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ins", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.Punch.InAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("outs", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.Punch.OutAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]>("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.Punch.EndReason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("in_rounded", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.Punch.InRounded).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("out_rounded", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.Punch.OutRounded).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("zones", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = punches.Select(p => p.Punch.TimeZone).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<bool?[]>("edited", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = punches.Select(p => p.Punch.Edited).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = punches.Select(p => p.Punch.UpdatedOn).ToArray() });
        return command;
    }

    /// <summary>The dates the batch covered (per job) and the batch's counts, in one round trip.</summary>
    internal static async Task FinishBatchAsync(
        NpgsqlConnection connection, string userId, long batchId, (IReadOnlyList<PlannedJob> Jobs, Dictionary<(long, long), long> Ids) jobs,
        DateTimeOffset finished, (int New, int Changed, int Unchanged, int Shifts) counts, CancellationToken cancellationToken)
    {
        var finish = new NpgsqlBatchCommand("""
            UPDATE ingest_batches SET status = 'succeeded', finished_at = @finished, new_count = @new, changed_count = @changed,
                   unchanged_count = @unchanged, shifts_written = @shifts
            WHERE id = @batch
            """);
        finish.Parameters.AddWithValue("finished", finished);
        finish.Parameters.AddWithValue("new", counts.New);
        finish.Parameters.AddWithValue("changed", counts.Changed);
        finish.Parameters.AddWithValue("unchanged", counts.Unchanged);
        finish.Parameters.AddWithValue("shifts", counts.Shifts);
        finish.Parameters.AddWithValue("batch", batchId);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { finish } };
        if (Ranges(userId, batchId, jobs.Jobs, jobs.Ids) is { } ranges)
        {
            batch.BatchCommands.Insert(0, ranges);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts the user's jobs, or updates those whose details changed (an unchanged job is not written).</summary>
    private static NpgsqlBatchCommand UpsertJobs(string userId, IReadOnlyList<PlannedJob> jobs, DateTimeOffset now)
    {
        var wire = jobs.Select(j => j.Job).ToList();
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO jobs (user_id, employee_id, pay_rule_id, first_name, badge_number, department, base_wage_rate, hire_date, created_at, updated_at)
            SELECT @user, j.employee_id, j.pay_rule_id, j.first_name, j.badge_number, j.department, j.base_wage_rate, j.hire_date, @now, @now
            FROM unnest(@employees, @rules, @names, @badges, @departments, @wages, @hires)
                 AS j(employee_id, pay_rule_id, first_name, badge_number, department, base_wage_rate, hire_date)
            ON CONFLICT (user_id, employee_id, pay_rule_id) DO UPDATE SET
                first_name = excluded.first_name, badge_number = excluded.badge_number, department = excluded.department,
                base_wage_rate = COALESCE(excluded.base_wage_rate, jobs.base_wage_rate), hire_date = excluded.hire_date, updated_at = excluded.updated_at
            WHERE (jobs.first_name, jobs.badge_number, jobs.department, jobs.base_wage_rate, jobs.hire_date)
                  IS DISTINCT FROM (excluded.first_name, excluded.badge_number, excluded.department, COALESCE(excluded.base_wage_rate, jobs.base_wage_rate), excluded.hire_date)
            """);
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
        return upsert;
    }

    /// <summary>Inserts the batch's new punches with one binary COPY; returns their ids, in the order of <paramref name="fresh"/>.</summary>
    internal static async Task<long[]> CopyNewPunchesAsync(
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
    internal static async Task StageAsync(NpgsqlConnection connection, (RawPunch Punch, Shift Shift)[] incoming, List<int> known, CancellationToken cancellationToken)
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
                await BinaryCopy.WriteAsync(writer, facts.Note, NpgsqlDbType.Text, cancellationToken);
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
    internal static async Task<(int Changed, int Matched)> MergePunchesAsync(
        NpgsqlConnection connection, string userId, long batchId, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var merge = new NpgsqlCommand($"""
            WITH m AS MATERIALIZED (
                SELECT s.ord, p.id,
                       {Versioned("s")} IS DISTINCT FROM {Versioned("p")}
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

    /// <summary>The dates the batch covered, per job; null when it covered none.</summary>
    private static NpgsqlBatchCommand? Ranges(string userId, long batchId, IReadOnlyList<PlannedJob> jobs, Dictionary<(long, long), long> jobIds)
    {
        var covered = jobs.Where(j => j.FromDate is not null).ToList();
        if (covered.Count == 0)
        {
            return null;
        }

        var command = new NpgsqlBatchCommand("""
            INSERT INTO ingest_ranges (batch_id, user_id, job_id, from_date, to_date)
            SELECT @batch, @user, r.job_id, r.from_date, r.to_date FROM unnest(@jobs, @froms, @tos) AS r(job_id, from_date, to_date)
            """);
        command.Parameters.AddWithValue("batch", batchId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("jobs", covered.Select(j => jobIds[(j.Job.EmployeeId, j.Job.PayRuleId)]).ToArray());
        command.Parameters.AddWithValue("froms", covered.Select(j => j.FromDate!.Value).ToArray());
        command.Parameters.AddWithValue("tos", covered.Select(j => j.ToDate!.Value).ToArray());
        return command;
    }

    /// <summary>The punch's fields as the site sent them, from punch_key to wire_day, in the column order both COPYs use.</summary>
    private static async Task WritePunchFieldsAsync(NpgsqlBinaryImporter writer, RawPunch punch, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(punch.PunchKey, NpgsqlDbType.Text, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.SiteId, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(punch.InAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.OutAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteAsync(punch.EndReason, NpgsqlDbType.Text, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.InRounded, NpgsqlDbType.TimestampTz, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.OutRounded, NpgsqlDbType.TimestampTz, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.TimeZone, NpgsqlDbType.Text, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.Edited, NpgsqlDbType.Boolean, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.UpdatedOn, NpgsqlDbType.TimestampTz, cancellationToken);
        await BinaryCopy.WriteAsync(writer, punch.WireDay, NpgsqlDbType.Date, cancellationToken);
    }
}
