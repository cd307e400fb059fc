using PayTrack.KronosSimulator;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Tests.Kronos;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;
using PayTrack.Web.Pay;

namespace PayTrack.Tests.Sync;

public sealed class UpdatePunchesTests(SyncFixture fixture) : IClassFixture<SyncFixture>
{
    [Fact]
    public async Task ARejectedPasswordIsTriedOnceAndSkippedAfterwhileTheOtherUsersAreUpdated()
    {
        fixture.Simulator.Reset();
        var bad = await fixture.ConnectedUserAsync("bad@update.test", "user00021", password: "wrong");
        var good = new[] { await fixture.ConnectedUserAsync("good1@update.test", "user00022"), await fixture.ConnectedUserAsync("good2@update.test", "user00023") };

        var sweep = await fixture.UpdatePunchesNowAsync();

        Assert.Equal(SyncStatus.Succeeded, sweep.Status);
        Assert.Equal(1, sweep.FailedCount);
        Assert.Matches(@"^1 of \d+ users could not be updated; see their runs\.$", sweep.Error);
        var badRun = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, bad, SyncKind.UpdatePunches)).Single();
        // Ended as rejected, not as an exception: neither the client nor Hangfire tried the password a second time.
        Assert.Equal((SyncStatus.Rejected, 1), (badRun.Status, badRun.Attempts));
        Assert.Equal("Kronos did not accept this username and password. PayTrack will not try them again until you change them.", badRun.Error);
        Assert.Equal("credentials_rejected", await SyncTestKit.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM kronos_connections WHERE user_id = @u", ("u", bad)));
        var (from, to) = Window();
        foreach (var (user, account) in good.Zip(["user00022", "user00023"]))
        {
            var run = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, user, SyncKind.UpdatePunches)).Single();
            Assert.Equal(SyncStatus.Succeeded, run.Status);
            var truth = SyncTestKit.TruthPunches(await fixture.Simulator.TruthAsync(account, from, to));
            Assert.NotEmpty(truth);
            Assert.Equal(truth, await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, user));
            Assert.Equal((truth.Count, truth.Count), (run.Fetched, run.NewCount));
        }

        var next = await fixture.UpdatePunchesNowAsync();

        Assert.Equal(0, next.FailedCount);
        var skipped = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, bad, SyncKind.UpdatePunches))[0];
        Assert.Equal(SyncStatus.Skipped, skipped.Status);
        Assert.Contains("Kronos rejected the saved password", skipped.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.Simulator.StatsOverHttpAsync()).LoginAttemptsByAccount["user00021"]);
        foreach (var user in good)
        {
            Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, user, SyncKind.UpdatePunches))[0].Status);
        }

        await fixture.App.ConnectAsync(bad, fixture.Simulator.Connection("user00021"));
        await fixture.UpdatePunchesNowAsync();

        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, bad, SyncKind.UpdatePunches))[0].Status);
        Assert.Equal("ok", await SyncTestKit.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM kronos_connections WHERE user_id = @u", ("u", bad)));
    }

    [Fact]
    public async Task AsEveryUsersUpdateEndsTheSweepAsksAnIndexNotTheWholeTableEvenWithStatisticsFromTheSweepsStart()
    {
        // Yesterday's sweep is done; today's has just queued its users when the statistics are taken, so they say half
        // the table is active. Late in the sweep only its last users are. Asked with those statistics, "is any run of
        // this sweep still active?" must stay an index probe: as an EXISTS the planner chose a scan of the whole table,
        // 2 ms for each of 10,000 users (bench/update-punches).
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var yesterday = await SweepAsync("succeeded");
        var sweep = await SweepAsync("queued");
        await Exec("ANALYZE job_runs");
        await Exec($"UPDATE job_runs SET status = 'succeeded' WHERE sweep_id = {sweep} AND id < (SELECT max(id) FROM job_runs WHERE sweep_id = {sweep})");
        Assert.NotEqual(yesterday, sweep);

        await using var explain = new NpgsqlCommand("EXPLAIN " + SyncRuns.NewestActiveRunOfSweep, connection, transaction);
        explain.Parameters.AddWithValue("sweep", sweep);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_job_runs_active_by_sweep", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        await transaction.RollbackAsync();

        async Task<long> SweepAsync(string usersStatus)
        {
            // A sweep and its 5,000 users' runs, in the state given.
            await using var insert = new NpgsqlCommand($"""
                WITH sweep AS (
                    INSERT INTO job_runs (kind, user_id, trigger, status, queued_at, attempts, fetched, new_count, changed_count, unchanged_count, steps_done, steps_total, failed_count)
                    VALUES ('update_punches', NULL, 'schedule', 'running', now(), 1, 0, 0, 0, 0, 0, 5000, 0) RETURNING id),
                users AS (
                    INSERT INTO job_runs (kind, user_id, sweep_id, trigger, status, queued_at, attempts, fetched, new_count, changed_count, unchanged_count, steps_done, steps_total, failed_count)
                    SELECT 'update_punches', NULL, sweep.id, 'schedule', '{usersStatus}', now(), 0, 0, 0, 0, 0, 0, 1, 0 FROM sweep, generate_series(1, 5000))
                SELECT id FROM sweep
                """, connection, transaction);
            return (long)(await insert.ExecuteScalarAsync())!;
        }

        async Task Exec(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task ASupervisorsFixOfAMissedPunchArrivesWithTheNextUpdate()
    {
        fixture.Simulator.Reset();
        // The latest missed out-punch a supervisor has fixed by now: the test goes back to just before the fix.
        var fixedPunch = (await fixture.Simulator.TruthAsync("ana.student")).Timecards
            .SelectMany(t => t.Periods.SelectMany(p => p.Days).SelectMany(d => d.Punches))
            .Where(p => p.Edited == true && p.UpdatedOn <= SimulatorFixture.DefaultNow)
            .MaxBy(p => p.UpdatedOn)!;
        var beforeFix = fixedPunch.UpdatedOn!.Value.AddMinutes(-1);
        var afterFix = fixedPunch.UpdatedOn.Value.AddMinutes(1);
        fixture.Simulator.Clock.Set(beforeFix);
        var missed = (await fixture.Simulator.TruthAsync("ana.student", null, null)).Timecards
            .SelectMany(t => t.Periods.SelectMany(p => p.Days).SelectMany(d => d.Punches)).Single(p => p.Id == fixedPunch.Id);
        Assert.Equal(("missedOut", null), (missed.EndReason, missed.OutDateTime));
        var userId = await fixture.ConnectedUserAsync("ana@update.test", "ana.student");

        await fixture.UpdatePunchesNowAsync();

        Assert.Equal(("missedOut", (DateTimeOffset?)null), await StoredAsync(userId, fixedPunch.Id!));

        fixture.Simulator.Clock.Set(afterFix);
        await fixture.UpdatePunchesNowAsync();

        Assert.Equal(("normal", fixedPunch.OutDateTime), await StoredAsync(userId, fixedPunch.Id!));
        var run = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, userId, SyncKind.UpdatePunches))[0];
        Assert.True(run.ChangedCount >= 1, $"the fix should count as a changed punch: {run.ChangedCount}");
        Assert.Equal(1L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM raw_punch_versions v JOIN raw_punches p ON p.id = v.raw_punch_id WHERE p.user_id = @u AND p.site_id = @id",
            ("u", userId), ("id", fixedPunch.Id!)));
        Assert.True(await SyncTestKit.ScalarAsync<bool>(fixture.ConnectionString,
            "SELECT s.end_at IS NOT NULL FROM shifts s JOIN raw_punches p ON p.id = s.raw_punch_id WHERE p.user_id = @u AND p.site_id = @id",
            ("u", userId), ("id", fixedPunch.Id!)));
    }

    [Fact]
    public async Task AnUpdateAgainstASiteThatKeepsFailingWaitsAndTriesAgainThenSaysWhy()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00028", new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 0 });
        var userId = await fixture.ConnectedUserAsync("down@update.test", "user00028");

        var request = await fixture.App.Service<SyncRequests>().RequestUpdateAsync(userId, SyncTrigger.User, null, CancellationToken.None);

        // Hangfire's retries are asked for only after an attempt failed, and each one is used.
        await SyncTestKit.AssertRetriedThenFailedAsync(fixture.ConnectionString, request.Value!.Value, userId);
    }

    [Fact]
    public async Task AnUpdateKronosAsksToWaitRunsAgainAtThatTimeAndSendsNothingBefore()
    {
        fixture.Simulator.Reset();
        const string Account = "user00024";
        // Today's timecard is answered "429, Retry-After: 10" once per job: longer than PayTrack waits in place (3 s here).
        fixture.Simulator.SetFaults(Account, new FaultOptions { ThrottleShare = 1, RetryAfterSeconds = 10, MaxConsecutive = 1, OnlyForDay = fixture.Simulator.Today });
        var userId = await fixture.ConnectedUserAsync("wait@update.test", Account);
        var other = await fixture.ConnectedUserAsync("not-held-up@update.test", "user00025");
        var before = await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id IS NULL");

        fixture.App.Service<SyncRequests>().RunUpdatePunchesNow(SyncTrigger.Admin, null);
        var waiting = await SyncTestKit.PollAsync<string>(fixture.ConnectionString,
            "SELECT coalesce(max(error), '') FROM job_runs WHERE user_id = @u AND kind = 'update_punches' AND status = 'queued'",
            e => e.StartsWith("Kronos asked us to wait", StringComparison.Ordinal), "the update to wait as Kronos asked", parameters: ("u", userId));
        await SyncTestKit.PollScheduledAsync(fixture.ConnectionString, nameof(UpdatePunchesJobs.UserAsync), "the update to be scheduled for the time Kronos named");
        var sweepId = await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT max(id) FROM job_runs WHERE user_id IS NULL");
        Assert.True(sweepId > before);
        var sweep = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, sweepId, TimeSpan.FromSeconds(90));

        Assert.Matches(@"^Kronos asked us to wait until \d{2}:\d{2}( on \w{3} \d{1,2} \w{3})?\. PayTrack will ask again then, and not before\.$", waiting);
        // The sweep waited for this user's update, which then went through: no failure, nothing lost, nothing early.
        Assert.Equal((SyncStatus.Succeeded, 0), (sweep.Status, sweep.FailedCount));
        var run = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, userId, SyncKind.UpdatePunches)).Single();
        Assert.Equal(SyncStatus.Succeeded, run.Status);
        Assert.InRange(run.Attempts, 2, 3);
        var (from, to) = Window();
        Assert.Equal(SyncTestKit.TruthPunches(await fixture.Simulator.TruthAsync(Account, from, to)), await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));
        Assert.Equal(0L, (await fixture.Simulator.StatsOverHttpAsync()).EarlyRetries);
        // Another user's update was not held up by it.
        var otherRun = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, other, SyncKind.UpdatePunches)).Single();
        Assert.Equal((SyncStatus.Succeeded, 1), (otherRun.Status, otherRun.Attempts));
    }

    [Fact]
    public async Task TheDailyUpdateRereadsEachUsersOwnPayPeriods()
    {
        fixture.Simulator.Reset();
        // The last day of a month: a semi-monthly user's current and previous periods reach back to the 1st, further
        // than the four weeks that cover a user on the default two-week periods.
        fixture.Simulator.Clock.Set(new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero));
        var own = await fixture.ConnectedUserAsync("semimonthly@update.test", "user00026");
        var byDefault = await fixture.ConnectedUserAsync("default-periods@update.test", "user00027");
        var defaults = fixture.App.Service<IOptions<PayOptions>>().Value;
        Assert.Equal(Outcome.Ok(), await fixture.App.Service<PaySettingsStore>().SaveAsync(own, defaults with { PeriodKind = PayPeriodKind.SemiMonthly }, CancellationToken.None));

        await fixture.UpdatePunchesNowAsync();

        var today = new DateOnly(2026, 11, 30);
        var defaultStart = UpdateWindow.For(today, defaults, 1, 28).Start;
        Assert.NotEqual(new DateOnly(2026, 11, 1), defaultStart);
        Assert.Equal("2026-11-01", await RangeStartAsync(own));
        Assert.Equal(defaultStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), await RangeStartAsync(byDefault));
    }

    private (DateOnly From, DateOnly To) Window()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fixture.Simulator.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime);
        return UpdateWindow.For(today, fixture.App.Service<IOptions<PayOptions>>().Value, 1, 28);
    }

    private async Task<(string, DateTimeOffset?)> StoredAsync(string userId, string siteId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT end_reason, out_at FROM raw_punches WHERE user_id = @u AND site_id = @id", connection);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("id", siteId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"punch {siteId} is not stored");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private Task<string> RangeStartAsync(string userId) =>
        SyncTestKit.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT range_start::text FROM job_runs WHERE user_id = @u AND kind = 'update_punches' AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
            ("u", userId));
}
