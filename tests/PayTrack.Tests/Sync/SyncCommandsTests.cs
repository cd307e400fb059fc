using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class SyncCommandsTests(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    [Fact]
    public async Task ConnectTestsTheCredentialsFirstAndCatchupRunsTheQueuedSyncInTheForeground()
    {
        await using var setup = await ProcessFixture.SetupNodeAsync(nameof(ConnectTestsTheCredentialsFirstAndCatchupRunsTheQueuedSyncInTheForeground));
        var db = setup.ConnectionString;
        var userId = await setup.CreateUserAsync("cli@jobs.test");
        var environment = SyncTestKit.Environment(db);
        string[] connect = ["connect", "--user", "cli@jobs.test", "--base-url", fixture.Simulator.BaseUrl, "--username", "user00041", "--time-zone", "America/New_York"];

        var (refused, refusedOutput) = await PayTrackProcess.RunAsync(connect, environment, "wrong-password\n");

        Assert.Equal(1, refused);
        Assert.Contains("Not saved: Kronos did not accept this username and password.", refusedOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", refusedOutput, StringComparison.Ordinal);
        Assert.Equal(0L, await SyncTestKit.ScalarAsync<long>(db, "SELECT count(*) FROM kronos_connections WHERE user_id = @u", ("u", userId)));

        var (saved, savedOutput) = await PayTrackProcess.RunAsync(connect, environment, "user00041\n");

        Assert.True(saved == 0, savedOutput);
        Assert.Contains("Saved the Kronos connection of cli@jobs.test. Full-history sync queued", savedOutput, StringComparison.Ordinal);
        var queued = await SyncTestKit.ScalarAsync<long>(db, "SELECT id FROM job_runs WHERE user_id = @u AND kind = 'catchup' AND status = 'queued' AND trigger = 'command'", ("u", userId));

        var (ran, ranOutput) = await PayTrackProcess.RunAsync(["catchup", "--user", "cli@jobs.test"], environment);

        Assert.True(ran == 0, ranOutput);
        Assert.Contains("Catchup finished. Done:", ranOutput, StringComparison.Ordinal);
        var run = (await SyncTestKit.RunAsync(db, queued))!;
        Assert.Equal((SyncStatus.Succeeded, 1), (run.Status, run.Attempts));
        Assert.Equal(SyncTestKit.TruthPunches(await fixture.Simulator.TruthAsync("user00041")), await SyncTestKit.StoredPunchesAsync(db, userId));
    }

    [Fact]
    public async Task CatchupForAnUnknownAccountOrOneWithoutAConnectionSaysSo()
    {
        await using var setup = await ProcessFixture.SetupNodeAsync(nameof(CatchupForAnUnknownAccountOrOneWithoutAConnectionSaysSo));
        await setup.CreateUserAsync("unconnected@jobs.test");
        var environment = SyncTestKit.Environment(setup.ConnectionString);

        var (unknown, unknownOutput) = await PayTrackProcess.RunAsync(["catchup", "--user", "nobody@jobs.test"], environment);
        var (unconnected, unconnectedOutput) = await PayTrackProcess.RunAsync(["catchup", "--user", "unconnected@jobs.test"], environment);

        Assert.Equal((1, 1), (unknown, unconnected));
        Assert.Contains("No PayTrack account has the e-mail nobody@jobs.test.", unknownOutput, StringComparison.Ordinal);
        Assert.Contains("There is no Kronos connection for this account yet.", unconnectedOutput, StringComparison.Ordinal);
    }
}
