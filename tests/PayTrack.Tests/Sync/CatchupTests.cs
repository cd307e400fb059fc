using System.Globalization;
using PayTrack.KronosSimulator;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class CatchupTests(SyncFixture fixture) : IClassFixture<SyncFixture>
{
    [Fact]
    public async Task CatchupEndsWithTheSimulatorsPunchesAndShiftsAndASecondRunChangesNothing()
    {
        fixture.Simulator.Reset();
        var userId = await fixture.ConnectedUserAsync("ana@catchup.test", "ana.student");

        var first = await fixture.App.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.Admin, null, CancellationToken.None);
        Assert.Equal(OutcomeKind.Done, first.Kind);
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, first.Value!.Value);

        Assert.Equal(SyncStatus.Succeeded, run.Status);
        Assert.True(run.StepsTotal > 20, $"four years of two jobs in 92-day chunks, got {run.StepsTotal}");
        Assert.Equal(run.StepsTotal, run.StepsDone);
        var truth = await fixture.Simulator.TruthAsync("ana.student");
        var expected = SyncTestKit.TruthPunches(truth);
        Assert.Equal(expected, await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));
        Assert.Equal(expected.Count, run.Fetched);
        Assert.Equal(expected.Count, run.NewCount);
        Assert.Equal(await fixture.TruthShiftsAsync(truth, "ana-twin@catchup.test"), await SyncTestKit.ShiftLinesAsync(fixture.ConnectionString, userId));

        // The connection's "last synced" moves on; punches, their versions, shifts and jobs must not be written at all.
        var before = await TimecardRowsAsync();
        var second = await fixture.App.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var again = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, second.Value!.Value);

        Assert.Equal(SyncStatus.Succeeded, again.Status);
        Assert.Equal((expected.Count, 0, 0, expected.Count), (again.Fetched, again.NewCount, again.ChangedCount, again.UnchangedCount));
        Assert.Equal(before, await TimecardRowsAsync());
    }

    private async Task<List<string>> TimecardRowsAsync() =>
        (await TimecardTestKit.SnapshotAsync(fixture.ConnectionString)).Where(r => !r.StartsWith("kronos_connections ", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task ASecondCatchupWhileOneRunsIsRefusedInWords()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00011", new FaultOptions { LatencyMs = 300 });
        var userId = await fixture.ConnectedUserAsync("slow@catchup.test", "user00011");
        var requests = fixture.App.Service<SyncRequests>();

        var first = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var second = await requests.RequestCatchupAsync(userId, SyncTrigger.Admin, null, CancellationToken.None);

        Assert.Equal(OutcomeKind.Busy, second.Kind);
        Assert.Equal(first.Value, second.Value);
        Assert.Matches("A full-history sync is already (running|waiting to start) for this account", second.Message);
        Assert.Equal(1L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM job_runs WHERE user_id = @u AND kind = 'catchup'", ("u", userId)));
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, first.Value!.Value)).Status);

        var third = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        Assert.Equal(OutcomeKind.Done, third.Kind);
        await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, third.Value!.Value);
    }

    [Fact]
    public async Task CatchupCompletesThroughThrottlingAndServerErrors()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00012", new FaultOptions { ThrottleShare = 0.3, ServerErrorShare = 0.3, RetryAfterSeconds = 1, MaxConsecutive = 2 });
        var userId = await fixture.ConnectedUserAsync("faults@catchup.test", "user00012");

        var request = await fixture.App.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, request.Value!.Value, TimeSpan.FromSeconds(90));

        Assert.Equal(SyncStatus.Succeeded, run.Status);
        Assert.Equal(1, run.Attempts);
        var stats = await fixture.Simulator.StatsOverHttpAsync();
        Assert.True(stats.FaultsInjected > 0, "the simulator injected no fault");
        Assert.Equal(SyncTestKit.TruthPunches(await fixture.Simulator.TruthAsync("user00012")), await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));
    }

    [Fact]
    public async Task AWrongPasswordFailsTheCatchupWithAClearMessageAndIsNotTriedAgain()
    {
        fixture.Simulator.Reset();
        var userId = await fixture.ConnectedUserAsync("wrong@catchup.test", "user00013", password: "not-the-password");
        var requests = fixture.App.Service<SyncRequests>();

        var request = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, request.Value!.Value);

        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Equal("Kronos did not accept this username and password. PayTrack will not try them again until you change them.", run.Error);
        Assert.Equal(1, (await fixture.Simulator.StatsOverHttpAsync()).LoginAttemptsByAccount["user00013"]);
        Assert.Equal("credentials_rejected", await SyncTestKit.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM kronos_connections WHERE user_id = @u", ("u", userId)));

        var again = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        Assert.Equal(OutcomeKind.Refused, again.Kind);
        Assert.Contains("Save new credentials in Settings", again.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.Simulator.StatsOverHttpAsync()).LoginAttemptsByAccount["user00013"]);
    }

    [Fact]
    public async Task ACatchupAgainstASiteThatKeepsFailingWaitsAndTriesAgainThenSaysWhy()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00014", new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 0 });
        var userId = await fixture.ConnectedUserAsync("down@catchup.test", "user00014");

        var request = await fixture.App.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);

        await SyncTestKit.AssertRetriedThenFailedAsync(fixture.ConnectionString, request.Value!.Value, userId);
    }

    [Fact]
    public async Task AChunkInTheMiddleThatStaysUnreadableEndsTheRunNamingItsDatesAndKeepsWhatWasRead()
    {
        fixture.Simulator.Reset();
        const string Account = "user00015";
        var truth = await fixture.Simulator.TruthAsync(Account);
        var broken = SyncTestKit.MiddleDay(truth);
        fixture.Simulator.SetFaults(Account, new FaultOptions { MalformedShare = 1, MaxConsecutive = 0, OnlyForDay = broken });
        var userId = await fixture.ConnectedUserAsync("gap@catchup.test", Account);
        var requests = fixture.App.Service<SyncRequests>();

        var request = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, request.Value!.Value, TimeSpan.FromSeconds(90));

        Assert.Equal(SyncStatus.Failed, run.Status);
        var chunks = await fixture.App.Service<SyncRuns>().GetChunksAsync(run.Id, CancellationToken.None);
        var read = chunks.Where(c => c.Done).ToList();
        Assert.InRange(read.Count, 1, chunks.Count - 1);
        Assert.Equal(read.Count, run.StepsDone);
        // The message names the chunk's dates in words, then says what went wrong, with no parser text.
        var unread = chunks.Where(c => !c.Done && c.Start <= broken && broken <= c.End).ToList();
        Assert.Contains(unread, c => run.Error!.StartsWith(
            string.Create(CultureInfo.InvariantCulture, $"PayTrack could not read your Kronos timecard for {c.Start:d MMM yyyy} to {c.End:d MMM yyyy} after "), StringComparison.Ordinal));
        Assert.EndsWith("tries. Kronos sent a timecard that PayTrack could not read. Nothing stored was changed.", run.Error, StringComparison.Ordinal);
        // What the chunks before it read stays stored: exactly the site's punches for those chunks, nothing of the rest.
        Assert.Equal(await SyncTestKit.TruthOfChunksAsync(fixture.Simulator, Account, read), await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));

        // Once the site answers properly, the next sync completes the history.
        fixture.Simulator.SetFaults(Account, null);
        var again = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, again.Value!.Value, TimeSpan.FromSeconds(90))).Status);
        Assert.Equal(SyncTestKit.TruthPunches(truth), await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));
    }

    [Fact]
    public async Task ACatchupKronosAsksToWaitGoesOnAtThatTimeFromItsLastChunkAndSendsNothingBefore()
    {
        fixture.Simulator.Reset();
        const string Account = "user00016";
        var truth = await fixture.Simulator.TruthAsync(Account);
        // The chunk holding this day is answered "429, Retry-After: 10" once: longer than PayTrack waits in place (3 s here).
        fixture.Simulator.SetFaults(Account, new FaultOptions { ThrottleShare = 1, RetryAfterSeconds = 10, MaxConsecutive = 1, OnlyForDay = SyncTestKit.MiddleDay(truth) });
        var userId = await fixture.ConnectedUserAsync("wait@catchup.test", Account);

        var request = await fixture.App.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var waiting = await SyncTestKit.PollAsync<string>(fixture.ConnectionString,
            "SELECT coalesce(error, '') FROM job_runs WHERE id = @id AND status = 'queued' UNION ALL SELECT '' LIMIT 1",
            e => e.StartsWith("Kronos asked us to wait", StringComparison.Ordinal), "the run to wait as Kronos asked", parameters: ("id", request.Value!.Value));
        await SyncTestKit.PollScheduledAsync(fixture.ConnectionString, nameof(CatchupJob), "the catchup to be scheduled for the time Kronos named");
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, request.Value.Value, TimeSpan.FromSeconds(90));

        Assert.Matches(@"^Kronos asked us to wait until \d{2}:\d{2}( on \w{3} \d{1,2} \w{3})?\. PayTrack will ask again then, and not before\.$", waiting);
        Assert.Equal(SyncStatus.Succeeded, run.Status);
        Assert.Equal(SyncTestKit.TruthPunches(truth), await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId));
        var stats = await fixture.Simulator.StatsOverHttpAsync();
        Assert.Equal(0L, stats.EarlyRetries);
        // Went on from its checkpoint: each chunk read once, plus the throttled answer (one per job whose chunk holds the day).
        Assert.InRange(stats.TimecardRequests, run.StepsTotal + 1L, run.StepsTotal + 2L);
    }
}
