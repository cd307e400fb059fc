using PayTrack.Tests.Sync;
using PayTrack.Web.Live;
using PayTrack.Web.Notion;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Notion;

/// <summary>The Notion fixture with syncs after every change on, run by this PayTrack's Hangfire workers within seconds.</summary>
public sealed class NotionKeptCurrentFixture : NotionFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
    [
        new("PayTrack:Notion:SyncAfterChanges", "true"),
        new("PayTrack:Notion:SyncDelay", "00:00:01"),
        new("PayTrack:Jobs:QueuePollInterval", "00:00:00.500"),
        new("PayTrack:Jobs:SchedulePollingInterval", "00:00:01"),
        new("PayTrack:Jobs:UpdatePunchesCron", "0 0 30 2 *"),
    ];
}

/// <summary>Issue 15, point 3: after every change a Hangfire job per user pushes what changed, coalescing bursts.</summary>
public sealed class NotionKeptCurrentTests(NotionKeptCurrentFixture fixture) : IClassFixture<NotionKeptCurrentFixture>
{
    private const string SyncJobs = """
        SELECT count(*) FROM hangfire.job
        WHERE invocationdata::text LIKE '%NotionSyncJob%' AND (invocationdata::text || coalesce(arguments::text, '')) LIKE '%' || @u || '%'
        """;

    [Fact]
    public async Task ConnectingAndEveryLaterChangeReachNotionOnTheirOwnAndABurstOfChangesIsOneSync()
    {
        // Connecting schedules the first sync: the demo year arrives in Notion with nobody running `notion sync`.
        var user = await fixture.DemoUserAsync("kept-current@notion.test");
        var shiftIds = await ShiftCountAsync(user.UserId);
        await PollPagesAsync(user, shiftIds, "the first sync after connecting");
        var afterConnect = await SettledJobsAsync(user.UserId);

        // Five shifts entered one after another (ManualShifts announces each change itself).
        var manual = fixture.Service<ManualShifts>();
        var live = fixture.Service<ILiveNotifier>();
        var jobId = await fixture.ScalarAsync<long>("SELECT min(id) FROM jobs WHERE user_id = $1", user.UserId);
        for (var day = 0; day < 5; day++)
        {
            var start = new DateTimeOffset(2024, 5, 4 + day, 14, 0, 0, TimeSpan.Zero);
            var added = await manual.AddAsync(user.UserId, new ManualShiftRequest(jobId, start, start.AddHours(2), null), CancellationToken.None);
            Assert.True(added.Succeeded, added.Message);
        }

        await PollPagesAsync(user, shiftIds + 5, "the five new shifts");
        var afterBurst = await SettledJobsAsync(user.UserId);

        // A change that alters nothing Notion shows: the job runs and sends Notion no request at all.
        await fixture.ClearRequestsAsync(user.Token);
        await live.PublishAsync(LiveEvent.Changed(user.UserId, "settings"));
        await SyncTestKit.PollAsync<long>(fixture.App.ConnectionString, SyncJobs, n => n > afterBurst, "the sync after a change that alters nothing", parameters: ("u", user.UserId));
        var afterNothing = await SettledJobsAsync(user.UserId);

        Assert.InRange(afterConnect, 1, 2); // the import's own announcement may arrive after the first sync started
        Assert.InRange(afterBurst - afterConnect, 1, 2); // one sync for the burst (two if a change landed while it ran)
        Assert.Equal(afterBurst + 1, afterNothing);
        Assert.Empty(await fixture.RequestsAsync(user.Token));
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM notion_connections WHERE user_id = $1 AND sync_requested_at IS NOT NULL", user.UserId));
    }

    [Fact]
    public async Task AConnectionThatNeedsAttentionIsNotSyncedAfterAChange()
    {
        var user = await fixture.DemoUserAsync("attention@notion.test");
        await PollPagesAsync(user, await ShiftCountAsync(user.UserId), "the first sync after connecting");
        var before = await SettledJobsAsync(user.UserId);
        await fixture.RevokeAsync(user.Token);

        // The revoked token is found by the sync after the next change; after that, changes schedule nothing.
        var jobId = await fixture.ScalarAsync<long>("SELECT min(id) FROM jobs WHERE user_id = $1", user.UserId);
        var start = new DateTimeOffset(2024, 6, 1, 14, 0, 0, TimeSpan.Zero);
        var added = await fixture.Service<ManualShifts>().AddAsync(user.UserId, new ManualShiftRequest(jobId, start, start.AddHours(2), null), CancellationToken.None);
        Assert.True(added.Succeeded, added.Message);
        await SyncTestKit.PollAsync<string>(fixture.App.ConnectionString, "SELECT status FROM notion_connections WHERE user_id = @u",
            s => s == "needs_attention", "the revoked token to be noticed", parameters: ("u", user.UserId));
        var afterRevoke = await SettledJobsAsync(user.UserId);
        await fixture.Service<NotionSyncJob>().AskAsync(user.UserId, CancellationToken.None);

        Assert.Equal(before + 1, afterRevoke);
        Assert.Equal(afterRevoke, await SyncTestKit.ScalarAsync<long>(fixture.App.ConnectionString, SyncJobs, ("u", user.UserId)));
    }

    private Task<long> ShiftCountAsync(string userId) =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM shifts WHERE user_id = $1", userId);

    private async Task PollPagesAsync(NotionUser user, long shifts, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var pages = (await fixture.PagesAsync(user.Connection.ShiftsDataSourceId)).Live();
            if (pages.Count == shifts)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}: {pages.Count} of {shifts} shift pages in Notion.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The number of Notion sync jobs of the user once none is waiting or running and no change's request is left for
    /// a job to take (as <c>NotionConnections.IsSyncPendingAsync</c> asks). Both at once: a change's event reaches the
    /// listener a moment after the change, so its request (and the job it schedules) can appear after every earlier
    /// job has finished; counting then would count the jobs a moment too early.
    /// </summary>
    private async Task<long> SettledJobsAsync(string userId)
    {
        var unsettled = "SELECT (" + SyncJobs.Replace("SELECT count(*)", "SELECT count(*) FILTER (WHERE statename NOT IN ('Succeeded', 'Deleted', 'Failed'))", StringComparison.Ordinal)
            + ") + (SELECT count(*) FROM notion_connections WHERE user_id = @u AND sync_requested_at IS NOT NULL AND status <> 'needs_attention')";
        await SyncTestKit.PollAsync<long>(fixture.App.ConnectionString, unsettled, n => n == 0, "the Notion sync jobs to finish and no request to be left", parameters: ("u", userId));
        return await SyncTestKit.ScalarAsync<long>(fixture.App.ConnectionString, SyncJobs, ("u", userId));
    }
}
