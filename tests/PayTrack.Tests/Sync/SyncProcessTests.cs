using PayTrack.KronosSimulator;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

/// <summary>
/// The simulator in this process, on the real clock (PayTrack processes read the system clock), and a PayTrack
/// instance in this process that runs no jobs, to create users and connections on a database the test's PayTrack
/// processes then share.
/// </summary>
public sealed class ProcessFixture : IAsyncLifetime
{
    public SimulatorFixture Simulator { get; } = new();

    public async Task InitializeAsync()
    {
        await Simulator.InitializeAsync();
        Simulator.Clock.Set(DateTimeOffset.UtcNow);
    }

    public Task DisposeAsync() => Simulator.DisposeAsync();

    /// <summary>A new database with a non-job node on it, for setting up users.</summary>
    public static async Task<PayTrackAppFactory> SetupNodeAsync(string hint)
    {
        var setup = new PayTrackAppFactory { SharedConnectionString = await TestCluster.CreateDatabaseAsync(hint) };
        setup.WithSetting("PayTrack:Jobs:RunJobs", "false");
        await setup.InitializeAsync();
        _ = setup.Services;
        return setup;
    }

    public async Task<string> ConnectedUserAsync(PayTrackAppFactory setup, string email, string kronosUser)
    {
        var userId = await setup.CreateUserAsync(email);
        await setup.ConnectAsync(userId, Simulator.Connection(kronosUser));
        return userId;
    }
}

public sealed class SyncProcessTests(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    [Fact]
    public async Task ACatchupKilledMidwayFinishesFromItsCheckpointAfterARestart()
    {
        fixture.Simulator.SetFaults("ana.student", new FaultOptions { LatencyMs = 120 });
        await using var setup = await ProcessFixture.SetupNodeAsync(nameof(ACatchupKilledMidwayFinishesFromItsCheckpointAfterARestart));
        var db = setup.ConnectionString;
        var userId = await fixture.ConnectedUserAsync(setup, "ana@crash.test", "ana.student");
        var queued = await setup.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.Admin, null, CancellationToken.None);
        Assert.StartsWith("Full-history sync queued", queued.Message, StringComparison.Ordinal);
        var runId = queued.Value!.Value;
        var requestsBefore = (await fixture.Simulator.StatsOverHttpAsync()).TimecardRequests;

        await using (var first = PayTrackProcess.StartServer(SyncTestKit.Environment(db)))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
            await SyncTestKit.PollAsync<int>(db, "SELECT steps_done FROM job_runs WHERE id = @id", done => done >= 5, "five chunks to be stored", parameters: ("id", runId));
            first.KillHard();
        }

        var atKill = (await SyncTestKit.RunAsync(db, runId))!;
        var attempts = 0;
        Assert.Equal(SyncStatus.Running, atKill.Status);
        Assert.InRange(atKill.StepsDone, 5, atKill.StepsTotal - 1);
        // The user's catchup lock died with the process that held it (once the server has seen its connection drop). Only
        // this test's database: other test classes share the cluster and take advisory locks of their own meanwhile.
        const string AdvisoryLocks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        await SyncTestKit.PollAsync<long>(db, AdvisoryLocks, count => count == 0, "the killed node's advisory lock to go", TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await SyncTestKit.ScalarAsync<long>(db, AdvisoryLocks));

        await using (var second = PayTrackProcess.StartServer(SyncTestKit.Environment(db)))
        {
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
            var run = await SyncTestKit.WaitForRunAsync(db, runId, TimeSpan.FromSeconds(90));

            Assert.True(run.Status == SyncStatus.Succeeded, $"{run.Status}: {run.Error}\n{second.Output}");
            // Hangfire gave the killed node's job to the new node after the invisibility timeout: one more attempt.
            Assert.Equal(2, run.Attempts);
            Assert.Equal(run.StepsTotal, run.StepsDone);
            attempts = run.Attempts;
        }

        var truth = SyncTestKit.TruthPunches(await fixture.Simulator.TruthAsync("ana.student"));
        Assert.Equal(truth, await SyncTestKit.StoredPunchesAsync(db, userId));
        // Each chunk was read once, plus at most the one in flight when its node stopped: no resume started over.
        var requests = (await fixture.Simulator.StatsOverHttpAsync()).TimecardRequests - requestsBefore;
        Assert.InRange(requests, atKill.StepsTotal, atKill.StepsTotal + attempts - 1);

        // No lock was left behind: the user can start another catchup at once, and it runs.
        var again = await setup.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        Assert.StartsWith("Full-history sync queued", again.Message, StringComparison.Ordinal);
        await using var third = PayTrackProcess.StartServer(SyncTestKit.Environment(db));
        await third.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(db, again.Value!.Value, TimeSpan.FromSeconds(90))).Status);
        Assert.Equal(truth, await SyncTestKit.StoredPunchesAsync(db, userId));
    }

    [Fact]
    public async Task ANodeStoppedGracefullyHandsItsCatchupBackWithItsCheckpoints()
    {
        fixture.Simulator.SetFaults("user00035", new FaultOptions { LatencyMs = 200 });
        await using var setup = await ProcessFixture.SetupNodeAsync(nameof(ANodeStoppedGracefullyHandsItsCatchupBackWithItsCheckpoints));
        var db = setup.ConnectionString;
        var userId = await fixture.ConnectedUserAsync(setup, "stop@crash.test", "user00035");
        var runId = (await setup.Service<SyncRequests>().RequestCatchupAsync(userId, SyncTrigger.Admin, null, CancellationToken.None)).Value!.Value;

        await using var node = PayTrackProcess.StartServer(SyncTestKit.Environment(db));
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
        await SyncTestKit.PollAsync<int>(db, "SELECT steps_done FROM job_runs WHERE id = @id", done => done >= 2, "two chunks to be stored", parameters: ("id", runId));
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await node.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {stopping.Elapsed}");
        var run = (await SyncTestKit.RunAsync(db, runId))!;
        Assert.Equal(SyncStatus.Queued, run.Status);
        Assert.True(run.StepsDone >= 2 && run.StepsDone < run.StepsTotal, $"{run.StepsDone} of {run.StepsTotal}");
        Assert.Equal(run.StepsDone, await SyncTestKit.ScalarAsync<long>(db, "SELECT count(*) FROM job_run_chunks WHERE run_id = @id AND done_at IS NOT NULL", ("id", runId)));
    }

    [Fact]
    public async Task TwoNodesOnOneDatabaseUpdateEveryUserExactlyOncePerFiring()
    {
        await using var setup = await ProcessFixture.SetupNodeAsync(nameof(TwoNodesOnOneDatabaseUpdateEveryUserExactlyOncePerFiring));
        var db = setup.ConnectionString;
        string[] accounts = ["user00031", "user00032", "user00033", "user00034", "user00036", "user00037"];
        foreach (var account in accounts)
        {
            await fixture.ConnectedUserAsync(setup, account + "@cluster.test", account);
        }

        await using var a = PayTrackProcess.StartServer(SyncTestKit.Environment(db));
        await using var b = PayTrackProcess.StartServer(SyncTestKit.Environment(db));
        await a.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
        await b.WaitUntilReadyAsync(TimeSpan.FromSeconds(150));
        await SyncTestKit.PollAsync<long>(db, "SELECT count(*) FROM hangfire.server", nodes => nodes == 2, "both nodes' Hangfire servers to start");

        setup.Service<SyncRequests>().RunUpdatePunchesNow(SyncTrigger.Admin, null);
        var sweep = await SyncTestKit.PollAsync<long>(db, "SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id IS NULL", id => id > 0, "the firing to start");
        var done = await SyncTestKit.WaitForRunAsync(db, sweep, TimeSpan.FromSeconds(90));
        await a.StopAsync(TimeSpan.FromSeconds(30));
        await b.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((SyncStatus.Succeeded, accounts.Length, 0), (done.Status, done.StepsDone, done.FailedCount));
        Assert.Equal(1L, await SyncTestKit.ScalarAsync<long>(db, "SELECT count(*) FROM job_runs WHERE user_id IS NULL"));
        // Each user once: one run each, attempted once, and one sign-in at the simulator each.
        Assert.Equal((long)accounts.Length, await SyncTestKit.ScalarAsync<long>(db,
            "SELECT count(DISTINCT user_id) FROM job_runs WHERE sweep_id = @s AND status = 'succeeded' AND attempts = 1", ("s", sweep)));
        Assert.Equal((long)accounts.Length, await SyncTestKit.ScalarAsync<long>(db, "SELECT count(*) FROM job_runs WHERE sweep_id = @s", ("s", sweep)));
        var logins = (await fixture.Simulator.StatsOverHttpAsync()).LoginAttemptsByAccount;
        Assert.All(accounts, account => Assert.Equal(1, logins[account]));
    }
}
