using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;

namespace PayTrack.Web.Sync;

/// <summary>A run a job now works on; a user's update carries the user's Kronos connection as it was when it started.</summary>
public sealed record RunClaim(long RunId, SyncKind Kind, string UserId, long? SweepId, int Attempts, SyncTrigger Trigger)
{
    public KronosConnection? Connection { get; init; }
}

/// <summary>What a second request for a catchup finds, or the run it created.</summary>
public sealed record CatchupQueued(long RunId, bool Created, SyncStatus Status, DateTimeOffset Since, int StepsDone, int StepsTotal);

public sealed record ChunkPlan(int Seq, long EmployeeId, long PayRuleId, DateOnly Start, DateOnly End);

public sealed record ChunkState(int Seq, long EmployeeId, long PayRuleId, DateOnly Start, DateOnly End, bool Done);

public sealed record RunCounts(int Fetched, int New, int Changed, int Unchanged)
{
    public static readonly RunCounts None = new(0, 0, 0, 0);
}

/// <summary>A run as the progress bars show it.</summary>
public sealed record RunSnapshot(
    long RunId,
    SyncKind Kind,
    string? UserId,
    SyncStatus Status,
    int StepsDone,
    int StepsTotal,
    int FailedCount,
    RunCounts Counts,
    DateOnly? RangeStart,
    DateOnly? RangeEnd,
    string? Error);

/// <summary>
/// The job_runs table, PayTrack's history of runs, in hand-written SQL: Hangfire queues, retries and hands work over
/// between nodes; these rows say who started a run, where it got to (a catchup's checkpoints), and how it ended.
/// Timestamps are the database's now(), the one clock all nodes share.
/// </summary>
public sealed class SyncRuns(NpgsqlDataSource dataSource, IOptions<SyncOptions> options)
{
    private const string OneCatchupIndex = "ix_job_runs_one_active_catchup_per_user";

    public async Task<CatchupQueued> QueueCatchupAsync(string userId, SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO job_runs (kind, user_id, trigger, requested_by, status, queued_at, attempts, fetched, new_count,
                                          changed_count, unchanged_count, steps_done, steps_total, failed_count)
                    VALUES ('catchup', @user, @trigger, @by, 'queued', now(), 0, 0, 0, 0, 0, 0, 0, 0)
                    RETURNING id, queued_at
                    """);
                insert.Parameters.AddWithValue("user", userId);
                insert.Parameters.AddWithValue("trigger", Name(trigger));
                insert.Parameters.AddWithValue("by", (object?)requestedBy ?? DBNull.Value);
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                return new CatchupQueued(reader.GetInt64(0), true, SyncStatus.Queued, reader.GetFieldValue<DateTimeOffset>(1), 0, 0);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == OneCatchupIndex)
            {
                if (await FindActiveCatchupAsync(userId, cancellationToken) is { } active)
                {
                    return active;
                }

                // The other run finished between our insert and our look: ask again, once.
                if (attempt > 0)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Records a waiting update of the user's recent window, outside any sweep ("Sync now"); null when an update of
    /// theirs already waits or runs (the database's rule: one active update per user, a sweep's included).
    /// </summary>
    public async Task<long?> QueueUpdateAsync(string userId, SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO job_runs (kind, user_id, trigger, requested_by, status, queued_at, attempts, fetched, new_count,
                                  changed_count, unchanged_count, steps_done, steps_total, failed_count)
            VALUES ('update_punches', @user, @trigger, @by, 'queued', now(), 0, 0, 0, 0, 0, 0, 1, 0)
            ON CONFLICT DO NOTHING
            RETURNING id
            """);
        insert.Parameters.AddWithValue("user", userId);
        insert.Parameters.AddWithValue("trigger", Name(trigger));
        insert.Parameters.AddWithValue("by", (object?)requestedBy ?? DBNull.Value);
        return await insert.ExecuteScalarAsync(cancellationToken) as long?;
    }

    public async Task<CatchupQueued?> FindActiveCatchupAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, status, coalesce(started_at, queued_at), steps_done, steps_total FROM job_runs
            WHERE user_id = @user AND kind = 'catchup' AND status IN ('queued', 'running')
            """);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CatchupQueued(reader.GetInt64(0), false, Parse<SyncStatus>(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3), reader.GetInt32(4))
            : null;
    }

    /// <summary>Marks a catchup as running (one more attempt); null when it is no longer queued or running.</summary>
    public async Task<RunClaim?> StartCatchupAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
            WHERE id = @id AND kind = 'catchup' AND status IN ('queued', 'running')
            RETURNING id, kind, user_id, sweep_id, attempts, trigger
            """);
        command.Parameters.AddWithValue("id", runId);
        var claims = await ReadClaimsAsync(command, cancellationToken);
        return claims.Count == 1 ? claims[0] : null;
    }

    /// <summary>
    /// Marks a user's update as running and reads the user's Kronos connection in the same statement; null when the
    /// run is over (a retry of a run that finished, or one deleted with its account).
    /// </summary>
    public async Task<RunClaim?> StartUpdateAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StartUpdateSql);
        command.Parameters.AddWithValue("id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var userId = reader.GetString(2);
        return new RunClaim(reader.GetInt64(0), Parse<SyncKind>(reader.GetString(1)), userId,
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt32(4), Parse<SyncTrigger>(reader.GetString(5)))
        {
            Connection = KronosConnections.ReadForSync(reader, 6, userId),
        };
    }

    /// <summary>The claim and the user's connection (its owner's relation, <see cref="KronosConnections.ForSyncSql"/>) in one statement.</summary>
    private const string StartUpdateSql = $"""
        WITH claimed AS (
            UPDATE job_runs r SET status = 'running', started_at = coalesce(r.started_at, now()), attempts = r.attempts + 1
            WHERE r.id = @id AND r.kind = 'update_punches' AND r.user_id IS NOT NULL AND r.status IN ('queued', 'running')
            RETURNING r.id, r.kind, r.user_id, r.sweep_id, r.attempts, r.trigger)
        SELECT c.id, c.kind, c.user_id, c.sweep_id, c.attempts, c.trigger,
               k.id, k.base_url, k.username, k.protected_password, k.time_zone, k.login_path, k.employee_path, k.timecard_path,
               k.session_cookie_name, k.status
        FROM claimed c LEFT JOIN ({KronosConnections.ForSyncSql}) k ON k.user_id = c.user_id
        """;

    public async Task<IReadOnlyList<ChunkState>> GetChunksAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT seq, employee_id, pay_rule_id, range_start, range_end, done_at IS NOT NULL FROM job_run_chunks
            WHERE run_id = @run ORDER BY seq
            """);
        command.Parameters.AddWithValue("run", runId);
        var chunks = new List<ChunkState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks.Add(new ChunkState(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.GetFieldValue<DateOnly>(3), reader.GetFieldValue<DateOnly>(4), reader.GetBoolean(5)));
        }

        return chunks;
    }

    /// <summary>Stores a catchup's chunks once; a resumed run keeps the plan it started with.</summary>
    public async Task<IReadOnlyList<ChunkState>> PlanChunksAsync(long runId, string userId, IReadOnlyList<ChunkPlan> plan, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var exists = new NpgsqlCommand("SELECT count(*) FROM job_run_chunks WHERE run_id = @run", connection))
            {
                exists.Parameters.AddWithValue("run", runId);
                if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
                {
                    await using var batch = new NpgsqlBatch(connection);
                    foreach (var chunk in plan)
                    {
                        var insert = new NpgsqlBatchCommand("""
                            INSERT INTO job_run_chunks (run_id, seq, user_id, employee_id, pay_rule_id, range_start, range_end, fetched)
                            VALUES (@run, @seq, @user, @employee, @rule, @start, @end, 0)
                            """);
                        insert.Parameters.AddWithValue("run", runId);
                        insert.Parameters.AddWithValue("seq", chunk.Seq);
                        insert.Parameters.AddWithValue("user", userId);
                        insert.Parameters.AddWithValue("employee", chunk.EmployeeId);
                        insert.Parameters.AddWithValue("rule", chunk.PayRuleId);
                        insert.Parameters.AddWithValue("start", chunk.Start);
                        insert.Parameters.AddWithValue("end", chunk.End);
                        batch.BatchCommands.Add(insert);
                    }

                    var total = new NpgsqlBatchCommand("UPDATE job_runs SET steps_total = @total WHERE id = @run");
                    total.Parameters.AddWithValue("total", plan.Count);
                    total.Parameters.AddWithValue("run", runId);
                    batch.BatchCommands.Add(total);
                    await batch.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetChunksAsync(runId, cancellationToken);
    }

    /// <summary>The checkpoint: the chunk's punches are committed; record it as done and add its counts to the run.</summary>
    public async Task CompleteChunkAsync(long runId, ChunkState chunk, RunCounts counts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("UPDATE job_run_chunks SET done_at = now(), fetched = @fetched WHERE run_id = @run AND seq = @seq",
                    ("run", runId), ("seq", chunk.Seq), ("fetched", counts.Fetched)),
                Command("""
                    UPDATE job_runs SET steps_done = steps_done + 1, fetched = fetched + @fetched, new_count = new_count + @new,
                           changed_count = changed_count + @changed, unchanged_count = unchanged_count + @unchanged,
                           range_start = @start, range_end = @end
                    WHERE id = @run
                    """,
                    ("run", runId), ("fetched", counts.Fetched), ("new", counts.New), ("changed", counts.Changed),
                    ("unchanged", counts.Unchanged), ("start", chunk.Start), ("end", chunk.End)),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records the date range being read, before its answer arrives, so the progress bar can say so.</summary>
    public async Task SetRangeAsync(long runId, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE job_runs SET range_start = @start, range_end = @end, error = NULL WHERE id = @run AND status = 'running'");
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", end);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends a run. False when it had already ended.</summary>
    public async Task<bool> FinishAsync(long runId, SyncStatus status, RunCounts? counts, string? error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_runs SET status = @status, finished_at = now(), error = @error,
                   fetched = fetched + @fetched, new_count = new_count + @new, changed_count = changed_count + @changed,
                   unchanged_count = unchanged_count + @unchanged
            WHERE id = @run AND status IN ('queued', 'running')
            """);
        var c = counts ?? RunCounts.None;
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("status", Name(status));
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("fetched", c.Fetched);
        command.Parameters.AddWithValue("new", c.New);
        command.Parameters.AddWithValue("changed", c.Changed);
        command.Parameters.AddWithValue("unchanged", c.Unchanged);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Puts a run back to waiting, with its checkpoints: its node is stopping (Hangfire hands the job to another node or
    /// the next start), or it waits for a retry, saying why in <paramref name="why"/>.
    /// </summary>
    public async Task WaitAsync(long runId, string? why, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_runs SET status = 'queued', error = coalesce(@why, error)
            WHERE id = @run AND status IN ('queued', 'running')
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.Add(new NpgsqlParameter("why", NpgsqlDbType.Text) { Value = (object?)why ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a sweep: one queued update per user whose connection is usable, in one statement, and a skipped one (with
    /// the reason) per user whose password Kronos rejected, who is not asked again until they save new credentials.
    /// </summary>
    public async Task<(long SweepId, IReadOnlyList<long> Queued)> StartSweepAsync(SyncTrigger trigger, string? requestedBy, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long sweepId;
        await using (var sweep = new NpgsqlCommand("""
            INSERT INTO job_runs (kind, user_id, trigger, requested_by, status, queued_at, started_at, scheduled_for, attempts,
                                  fetched, new_count, changed_count, unchanged_count, steps_done, steps_total, failed_count)
            VALUES ('update_punches', NULL, @trigger, @by, 'running', now(), now(), @scheduled, 1, 0, 0, 0, 0, 0, 0, 0)
            RETURNING id
            """, connection))
        {
            sweep.Parameters.AddWithValue("trigger", Name(trigger));
            sweep.Parameters.AddWithValue("by", (object?)requestedBy ?? DBNull.Value);
            sweep.Parameters.AddWithValue("scheduled", (object?)scheduledFor ?? DBNull.Value);
            sweepId = (long)(await sweep.ExecuteScalarAsync(cancellationToken))!;
        }

        await EndLostUpdatesAsync(connection, cancellationToken);

        var queued = new List<long>();
        await using (var users = new NpgsqlCommand($"""
            INSERT INTO job_runs (kind, user_id, sweep_id, trigger, requested_by, status, queued_at, attempts, fetched, new_count,
                                  changed_count, unchanged_count, steps_done, steps_total, failed_count)
            SELECT 'update_punches', c.user_id, @sweep, @trigger, @by, 'queued', now(), 0, 0, 0, 0, 0, 0, 1, 0
            FROM ({KronosConnections.ToUpdateSql}) c
            ORDER BY c.user_id
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection))
        {
            users.Parameters.AddWithValue("sweep", sweepId);
            users.Parameters.AddWithValue("trigger", Name(trigger));
            users.Parameters.AddWithValue("by", (object?)requestedBy ?? DBNull.Value);
            await using var reader = await users.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                queued.Add(reader.GetInt64(0));
            }
        }

        await RecordSkippedAsync(connection, sweepId, trigger, requestedBy, cancellationToken);

        await using (var total = new NpgsqlCommand("UPDATE job_runs SET steps_total = @queued WHERE id = @sweep", connection))
        {
            total.Parameters.AddWithValue("queued", queued.Count);
            total.Parameters.AddWithValue("sweep", sweepId);
            await total.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (sweepId, queued);
    }

    /// <summary>
    /// Ends a user's update and, in the same statement, writes the connection's new state, but only if the run had not
    /// ended already (a retry of a finished run must not overwrite the connection). False when it had.
    /// </summary>
    public async Task<bool> FinishUpdateAsync(long runId, SyncStatus status, RunCounts counts, DateOnly? start, DateOnly? end, string? error, ConnectionUpdate? connection, CancellationToken cancellationToken)
    {
        var alongside = connection is null ? "" : $", connection AS ({connection.Sql} AND EXISTS (SELECT 1 FROM finished) RETURNING 1)";
        await using var command = dataSource.CreateCommand($"""
            WITH finished AS (
                UPDATE job_runs SET status = @status, finished_at = now(), error = @error, fetched = @fetched,
                       new_count = @new, changed_count = @changed, unchanged_count = @unchanged, range_start = @start, range_end = @end,
                       steps_done = 1
                WHERE id = @run AND status IN ('queued', 'running')
                RETURNING id){alongside}
            SELECT count(*) FROM finished
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("status", Name(status));
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("fetched", counts.Fetched);
        command.Parameters.AddWithValue("new", counts.New);
        command.Parameters.AddWithValue("changed", counts.Changed);
        command.Parameters.AddWithValue("unchanged", counts.Unchanged);
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.Date) { Value = (object?)start ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.Date) { Value = (object?)end ?? DBNull.Value });
        if (connection is not null)
        {
            command.Parameters.AddRange(connection.Parameters.ToArray());
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    /// <summary>The newest run of sweep <c>@sweep</c> still queued or running, if any (see <see cref="TryFinishSweepAsync"/>).</summary>
    internal const string NewestActiveRunOfSweep =
        "SELECT id FROM job_runs WHERE sweep_id = @sweep AND status IN ('queued', 'running') ORDER BY id DESC LIMIT 1";

    /// <summary>
    /// Closes a sweep whose users are all done, with their summed counts; false while some are queued or running, or
    /// when it is already closed. The sweep row is not touched per user, so thousands of updates never queue on it.
    /// </summary>
    public async Task<bool> TryFinishSweepAsync(long sweepId, CancellationToken cancellationToken)
    {
        // Every user's update asks when it ends, so this must stay a probe however far the sweep has got. Asked as an
        // EXISTS, the planner chose a scan of the whole table whenever its statistics (taken early in the sweep) said most
        // runs were still active: 2 ms a user at 10,000 users, the largest statement of the daily run. Asked for the
        // newest active run, it must read in id order from the newest: through the partial index
        // ix_job_runs_active_by_sweep, or, when the statistics say nearly the whole table is this sweep's and active,
        // backwards along the primary key. Either way it reads the newest runs first, and as the queue is first in, first
        // out, those are the last to end: the first run read is still active until the sweep's last few users.
        await using (var probe = dataSource.CreateCommand(NewestActiveRunOfSweep))
        {
            probe.Parameters.AddWithValue("sweep", sweepId);
            if (await probe.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        await using var command = dataSource.CreateCommand("""
            WITH users AS (
                SELECT count(*) FILTER (WHERE status IN ('queued', 'running')) AS active,
                       count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'rejected')) AS done,
                       count(*) FILTER (WHERE status IN ('failed', 'rejected')) AS failed,
                       coalesce(sum(fetched), 0) AS fetched, coalesce(sum(new_count), 0) AS new_count,
                       coalesce(sum(changed_count), 0) AS changed_count, coalesce(sum(unchanged_count), 0) AS unchanged_count
                FROM job_runs WHERE sweep_id = @sweep)
            UPDATE job_runs s SET status = CASE WHEN u.failed > 0 AND u.failed = u.done THEN 'failed' ELSE 'succeeded' END,
                   finished_at = now(), steps_done = u.done, failed_count = u.failed, fetched = u.fetched, new_count = u.new_count,
                   changed_count = u.changed_count, unchanged_count = u.unchanged_count,
                   error = CASE WHEN u.failed > 0 THEN u.failed || ' of ' || u.done || ' users could not be updated; see their runs.' END
            FROM users u
            WHERE s.id = @sweep AND s.status = 'running' AND s.user_id IS NULL AND u.active = 0
            """);
        command.Parameters.AddWithValue("sweep", sweepId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<RunSnapshot?> SnapshotAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.kind, r.user_id, r.status,
                   CASE WHEN r.user_id IS NULL AND r.status = 'running'
                        THEN (SELECT count(*) FROM job_runs c WHERE c.sweep_id = r.id AND c.status IN ('succeeded', 'failed', 'rejected'))::int
                        ELSE r.steps_done END,
                   r.steps_total,
                   CASE WHEN r.user_id IS NULL AND r.status = 'running'
                        THEN (SELECT count(*) FROM job_runs c WHERE c.sweep_id = r.id AND c.status IN ('failed', 'rejected'))::int
                        ELSE r.failed_count END,
                   r.fetched, r.new_count, r.changed_count, r.unchanged_count, r.range_start, r.range_end, r.error
            FROM job_runs r WHERE r.id = @run
            """);
        command.Parameters.AddWithValue("run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RunSnapshot(
            reader.GetInt64(0),
            Parse<SyncKind>(reader.GetString(1)),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            Parse<SyncStatus>(reader.GetString(3)),
            reader.GetInt32(4),
            reader.GetInt32(5),
            reader.GetInt32(6),
            new RunCounts(reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)),
            reader.IsDBNull(11) ? null : reader.GetFieldValue<DateOnly>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12),
            reader.IsDBNull(13) ? null : reader.GetString(13));
    }

    /// <summary>
    /// The user's connection state and active catchup in one statement of plain SQL: the dashboard shows this panel on
    /// every load, so it must cost next to nothing (two LINQ queries here cost the overview page more CPU than all its
    /// own figures; see bench/dashboard). The overview adds it to its own round trip (<see cref="SyncStatement"/>). The
    /// connection's state is its owner's relation (<see cref="KronosConnections.StatesSql"/>); Identity's users give the e-mails.
    /// </summary>
    private const string SyncSql = $"""
        SELECT c.status, c.last_successful_sync_at, c.last_error,
               r.id, r.user_id, u.email, r.sweep_id, r.trigger, a.email, r.status, r.queued_at, r.started_at, r.finished_at,
               r.attempts, r.fetched, r.new_count, r.changed_count, r.unchanged_count, r.steps_done, r.steps_total,
               r.failed_count, r.range_start, r.range_end, r.error,
               EXISTS (SELECT 1 FROM job_runs x WHERE x.user_id = me.user_id AND x.kind = 'update_punches' AND x.status IN ('queued', 'running'))
        FROM (SELECT $1::text AS user_id) me
        LEFT JOIN ({KronosConnections.StatesSql}) c ON c.user_id = me.user_id
        LEFT JOIN job_runs r ON r.user_id = me.user_id AND r.kind = 'catchup' AND r.status IN ('queued', 'running')
        LEFT JOIN identity_users u ON u.id = r.user_id
        LEFT JOIN identity_users a ON a.id = r.requested_by
        LIMIT 1
        """;

    /// <summary>The user's sync state as one statement, for a page to add to its own round trip.</summary>
    public static NpgsqlBatchCommand SyncStatement(string userId)
    {
        var command = new NpgsqlBatchCommand(SyncSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return command;
    }

    /// <summary>Reads the one row of <see cref="SyncStatement"/>.</summary>
    public static async Task<UserSyncState> ReadSyncAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new UserSyncState(null, null, null, null);
        }

        var connection = reader.IsDBNull(0) ? (KronosConnectionStatus?)null : Parse<KronosConnectionStatus>(reader.GetString(0));
        var active = reader.IsDBNull(3) ? null : new RunRow(
            reader.GetInt64(3), SyncKind.Catchup, reader.GetString(4), Text(reader, 5), reader.IsDBNull(6) ? null : reader.GetInt64(6),
            Parse<SyncTrigger>(reader.GetString(7)), Text(reader, 8), Parse<SyncStatus>(reader.GetString(9)),
            reader.GetFieldValue<DateTimeOffset>(10), Instant(reader, 11), Instant(reader, 12), reader.GetInt32(13),
            new RunCounts(reader.GetInt32(14), reader.GetInt32(15), reader.GetInt32(16), reader.GetInt32(17)),
            reader.GetInt32(18), reader.GetInt32(19), reader.GetInt32(20),
            reader.IsDBNull(21) ? null : reader.GetFieldValue<DateOnly>(21), reader.IsDBNull(22) ? null : reader.GetFieldValue<DateOnly>(22),
            Text(reader, 23));
        return new UserSyncState(connection, Instant(reader, 1), Text(reader, 2), active) { UpdateActive = reader.GetBoolean(24) };

        static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

        static DateTimeOffset? Instant(NpgsqlDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
    }

    /// <summary>Forgets finished runs older than <see cref="SyncOptions.HistoryDays"/>, a bounded number per call.</summary>
    public async Task<int> DeleteOldAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM job_runs WHERE id IN (
                SELECT id FROM job_runs WHERE finished_at < now() - make_interval(days => @days) AND status NOT IN ('queued', 'running')
                ORDER BY id LIMIT 10000)
            """);
        command.Parameters.AddWithValue("days", options.Value.HistoryDays);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Data.Configurations.DbNames.Of(value);

    internal static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum => Data.Configurations.DbNames.Parse<TEnum>(name);

    private static async Task EndLostUpdatesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // A user's update that never started within a day was lost (its sweep stopped before enqueuing it): end it, so
        // it does not hold the user's place (one active update per user) for ever.
        await using (var lost = new NpgsqlCommand("""
            UPDATE job_runs SET status = 'failed', finished_at = now(), error = 'This update was never started; the next one replaces it.'
            WHERE kind = 'update_punches' AND user_id IS NOT NULL AND status = 'queued' AND attempts = 0 AND queued_at < now() - interval '1 day'
            """, connection))
        {
            await lost.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task RecordSkippedAsync(NpgsqlConnection connection, long sweepId, SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        await using (var skipped = new NpgsqlCommand($"""
            INSERT INTO job_runs (kind, user_id, sweep_id, trigger, requested_by, status, queued_at, finished_at, attempts, fetched,
                                  new_count, changed_count, unchanged_count, steps_done, steps_total, failed_count, error)
            SELECT 'update_punches', c.user_id, @sweep, @trigger, @by, 'skipped', now(), now(), 0, 0, 0, 0, 0, 0, 0, 0,
                   'Skipped: Kronos rejected the saved password. Save new credentials in Settings to sync again.'
            FROM ({KronosConnections.RejectedSql}) c
            """, connection))
        {
            skipped.Parameters.AddWithValue("sweep", sweepId);
            skipped.Parameters.AddWithValue("trigger", Name(trigger));
            skipped.Parameters.AddWithValue("by", (object?)requestedBy ?? DBNull.Value);
            await skipped.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<IReadOnlyList<RunClaim>> ReadClaimsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var claims = new List<RunClaim>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new RunClaim(
                reader.GetInt64(0),
                Parse<SyncKind>(reader.GetString(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetInt32(4),
                Parse<SyncTrigger>(reader.GetString(5))));
        }

        return claims;
    }
}
