using System.Globalization;
using System.Net;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Notion;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Notion;

public sealed class NotionSyncTests(NotionFixture fixture) : IClassFixture<NotionFixture>
{
    [Fact]
    public async Task FirstSyncOfTheDemoYearCreatesOnePagePerShiftAndPerWeekWithTheRightValues()
    {
        var user = await fixture.DemoUserAsync("first-sync@notion.test");

        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(result.Succeeded, result.Message);
        var shiftPages = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        var weekPages = await fixture.PagesAsync(user.Connection.WeeksDataSourceId);
        var shiftIds = await ShiftIdsAsync(user.UserId);
        Assert.Equal(shiftIds, shiftPages.Select(p => p.PayTrackId()).Order().ToList());
        Assert.All(shiftPages, p => Assert.False(p.Trashed()));

        var first = DateOnly.FromDateTime(await fixture.ScalarAsync<DateTime>("SELECT min(local_date)::timestamp FROM shifts WHERE user_id = $1", user.UserId));
        var last = DateOnly.FromDateTime(await fixture.ScalarAsync<DateTime>("SELECT max(local_date)::timestamp FROM shifts WHERE user_id = $1", user.UserId));
        var profile = await fixture.Service<PayProfiles>().LoadAsync(new DashboardSubject(user.UserId, false, null), CancellationToken.None);
        var summary = await fixture.Service<SummaryQueries>().SummarizeAsync(profile, new DateRange(first, last), CancellationToken.None);
        Assert.Equal(summary.Workweeks.Select(w => NotionSchema.WeekId(w.Start)).ToList(), weekPages.Select(p => p.PayTrackId()).Order().ToList());
        Assert.Equal(result.Value!.Created, shiftPages.Count + weekPages.Count);
        foreach (var week in summary.Workweeks)
        {
            var page = weekPages.Single(p => p.PayTrackId() == NotionSchema.WeekId(week.Start));
            Assert.Equal((week.Hours, week.OvertimeHours, week.GrossPay), (page.Number("Hours"), page.Number("Overtime hours"), page.Number("Gross pay")));
            Assert.Equal(week.Cap.CapHours - week.Cap.HoursWorked, page.Number("Hours under cap"));
            Assert.Equal(week.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/", page.Text("Week start"));
            var period = profile.Calculator.Calendar.PeriodContaining(week.Start);
            Assert.StartsWith($"{period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}", page.Text("Pay period"), StringComparison.Ordinal);
        }

        // A shift's page: its job, local times with their offset, hours and the pay PayTrack computes.
        var shiftId = await fixture.ScalarAsync<long>("SELECT min(id) FROM shifts WHERE user_id = $1 AND status = 'complete'", user.UserId);
        var shift = shiftPages.Single(p => p.PayTrackId() == shiftId);
        var stored = await fixture.ScalarAsync<string>("""
            SELECT to_char(start_at AT TIME ZONE time_zone, 'YYYY-MM-DD"T"HH24:MI:SS') || '|' || to_char(end_at AT TIME ZONE time_zone, 'YYYY-MM-DD"T"HH24:MI:SS')
                   || '|' || round(worked_minutes / 60.0, 2)::text || '|' || coalesce(j.department, '')
            FROM shifts s JOIN jobs j ON j.id = s.job_id WHERE s.id = $1
            """, shiftId);
        var parts = stored.Split('|');
        var when = shift.Text("When").Split('/');
        Assert.StartsWith(parts[0], when[0], StringComparison.Ordinal);
        Assert.StartsWith(parts[1], when[1], StringComparison.Ordinal);
        Assert.Matches("[-+][0-9]{2}:[0-9]{2}$", when[0]);
        Assert.Equal(decimal.Parse(parts[2], CultureInfo.InvariantCulture), shift.Number("Hours"));
        Assert.Equal(NotionSchema.SelectName(parts[3]), shift.Text("Job"));
        Assert.Equal("ok", shift.Text("Status"));
        Assert.Equal("import", shift.Text("Source"));
        var day = summary.Days.Single(d => d.Date == DateOnly.Parse(parts[0][..10], CultureInfo.InvariantCulture));
        var dayPages = shiftPages.Where(p => p.Text("When").StartsWith(parts[0][..10], StringComparison.Ordinal)).ToList();
        Assert.Equal(day.GrossPay, dayPages.Sum(p => p.Number("Gross pay")!.Value), 2);
        var open = await fixture.ScalarAsync<long>("SELECT count(*) FROM shifts WHERE user_id = $1 AND status = 'missing_out'", user.UserId);
        Assert.Equal(open, shiftPages.Count(p => p.Text("Status") == "missing out-punch"));
    }

    [Fact]
    public async Task ASecondSyncWritesNothing()
    {
        var user = await fixture.DemoUserAsync("second-sync@notion.test");
        Assert.True((await fixture.SyncAsync(user.UserId)).Succeeded);
        await fixture.ClearRequestsAsync(user.Token);

        var again = await fixture.SyncAsync(user.UserId);

        Assert.True(again.Succeeded, again.Message);
        Assert.Equal((0, 0, 0), (again.Value!.Created, again.Value!.Updated, again.Value!.Trashed));
        Assert.Empty(await fixture.RequestsAsync(user.Token));
        Assert.Equal("Notion was already up to date; nothing was sent.", again.Message);
    }

    [Fact]
    public async Task AChangedShiftUpdatesOnePage()
    {
        var user = await fixture.DemoUserAsync("changed@notion.test");
        var shifts = fixture.Service<ManualShifts>();
        var jobId = await fixture.ScalarAsync<long>("SELECT min(id) FROM jobs WHERE user_id = $1", user.UserId);
        var start = new DateTimeOffset(2024, 3, 2, 15, 0, 0, TimeSpan.Zero);
        var added = await shifts.AddAsync(user.UserId, new ManualShiftRequest(jobId, start, start.AddHours(2), null), CancellationToken.None);
        Assert.True(added.Succeeded, added.Message);
        Assert.True((await fixture.SyncAsync(user.UserId)).Succeeded);
        await fixture.ClearRequestsAsync(user.Token);

        // The same two hours, an hour later: the shift's page changes, its week's totals do not.
        var moved = await shifts.UpdateAsync(user.UserId, added.Value, new ManualShiftRequest(jobId, start.AddHours(1), start.AddHours(3), null), CancellationToken.None);
        Assert.True(moved.Succeeded, moved.Message);
        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(result.Succeeded, result.Message);
        var requests = await fixture.RequestsAsync(user.Token);
        var page = (await fixture.PagesAsync(user.Connection.ShiftsDataSourceId)).Single(p => p.PayTrackId() == added.Value);
        Assert.Equal([("PATCH", "/v1/pages/" + page["id"]!.GetValue<string>())], requests.Select(r => (r.Method, r.Path)).ToList());
        Assert.Equal("2024-03-02T11:00:00-05:00/2024-03-02T13:00:00-05:00", page.Text("When"));
    }

    [Fact]
    public async Task ADeletedShiftIsTrashed()
    {
        var user = await fixture.DemoUserAsync("deleted@notion.test");
        var shifts = fixture.Service<ManualShifts>();
        var jobId = await fixture.ScalarAsync<long>("SELECT min(id) FROM jobs WHERE user_id = $1", user.UserId);
        var start = new DateTimeOffset(2024, 3, 3, 15, 0, 0, TimeSpan.Zero);
        var added = await shifts.AddAsync(user.UserId, new ManualShiftRequest(jobId, start, start.AddHours(2), null), CancellationToken.None);
        Assert.True((await fixture.SyncAsync(user.UserId)).Succeeded);

        Assert.True((await shifts.DeleteAsync(user.UserId, added.Value, CancellationToken.None)).Succeeded);
        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((0, 1), (result.Value!.Created, result.Value!.Trashed));
        var pages = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        Assert.True(pages.Single(p => p.PayTrackId() == added.Value).Trashed());
        Assert.Equal(await ShiftIdsAsync(user.UserId), pages.Live().Select(p => p.PayTrackId()).Order().ToList());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notion_pages WHERE user_id = $1 AND pay_track_id = $2", user.UserId, added.Value));
    }

    [Fact]
    public async Task ACreateWhoseAnswerWasLostIsFoundNotSentAgain()
    {
        var user = await fixture.DemoUserAsync("lost-answer@notion.test");
        await fixture.FaultAsync(new { token = user.Token, method = "POST", path_contains = "/v1/pages", status = 502, code = "bad_gateway", after_processing = true, count = 1 });

        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(result.Succeeded, result.Message);
        var pages = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        Assert.Equal(await ShiftIdsAsync(user.UserId), pages.Select(p => p.PayTrackId()).Order().ToList());
        var requests = await fixture.RequestsAsync(user.Token);
        Assert.Single(requests, r => r is { Method: "POST", Status: 502 });
        var allPages = pages.Count + (await fixture.PagesAsync(user.Connection.WeeksDataSourceId)).Count;
        Assert.Equal(allPages, requests.Count(r => r is { Method: "POST", Path: "/v1/pages" }));
        Assert.Contains(requests, r => r.Path.EndsWith("/query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A429WithRetryAfterIsHonoured()
    {
        var user = await fixture.DemoUserAsync("throttled@notion.test");
        await fixture.ClearRequestsAsync(user.Token);
        await fixture.FaultAsync(new { token = user.Token, status = 429, code = "rate_limited", retry_after = 2, count = 1 });

        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(result.Succeeded, result.Message);
        var requests = await fixture.RequestsAsync(user.Token);
        var throttledAt = requests.Single(r => r.Status == 429).AtMs;
        // Requests already in flight when the 429 came back arrive with it; after that, nothing until Retry-After has passed.
        Assert.InRange(requests.Count(r => r.AtMs > throttledAt && r.AtMs < throttledAt + 500), 0, 4);
        Assert.DoesNotContain(requests, r => r.AtMs >= throttledAt + 500 && r.AtMs < throttledAt + 2000);
        Assert.Contains(requests, r => r.AtMs >= throttledAt + 2000 && r.AtMs < throttledAt + 4000);
        Assert.Equal(await ShiftIdsAsync(user.UserId), (await fixture.PagesAsync(user.Connection.ShiftsDataSourceId)).Select(p => p.PayTrackId()).Order().ToList());
    }

    [Fact]
    public async Task ARevokedTokenStopsTheSyncWithAClearMessage()
    {
        var user = await fixture.DemoUserAsync("revoked@notion.test");
        await fixture.RevokeAsync(user.Token);
        var shiftsBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM shifts WHERE user_id = $1", user.UserId);

        var result = await fixture.SyncAsync(user.UserId);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Notion no longer accepts the saved integration token (it may have been revoked).", result.Message, StringComparison.Ordinal);
        var connection = (await fixture.ConnectionAsync(user.UserId))!;
        Assert.Equal(NotionConnectionStatus.NeedsAttention, connection.Status);
        Assert.Equal(result.Message.Split(" Before that", 2)[0], connection.LastError);
        Assert.InRange((await fixture.RequestsAsync(user.Token)).Count(r => r.Status == 401), 1, 3);
        Assert.Equal(shiftsBefore, await fixture.ScalarAsync<long>("SELECT count(*) FROM shifts WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task TheDashboardSaysWhatTheConnectionNeedsOnlyWhileItNeedsIt()
    {
        var ana = await fixture.DemoUserAsync("attention-ana@notion.test");
        var ben = await fixture.DemoUserAsync("attention-ben@notion.test");
        Assert.DoesNotContain("notion-attention", await ana.Browser.GetStringAsync("/"), StringComparison.Ordinal);
        await fixture.RevokeAsync(ana.Token);
        Assert.False((await fixture.SyncAsync(ana.UserId)).Succeeded);

        var page = WebUtility.HtmlDecode(await ana.Browser.GetStringAsync("/"));

        var error = (await fixture.ConnectionAsync(ana.UserId))!.LastError;
        Assert.StartsWith("Notion no longer accepts the saved integration token", error, StringComparison.Ordinal);
        Assert.Contains($"Your Notion connection needs attention: {error} <a href=\"/settings#notion\">Open settings</a>", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"next-payday\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("notion-attention", await ben.Browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoUsersNotionConnectionsNeverMix()
    {
        var ana = await fixture.DemoUserAsync("ana@notion.test");
        var ben = await fixture.DemoUserAsync("ben@notion.test");

        var results = await Task.WhenAll(fixture.SyncAsync(ana.UserId), fixture.SyncAsync(ben.UserId));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        Assert.NotEqual(ana.Connection.ShiftsDataSourceId, ben.Connection.ShiftsDataSourceId);
        Assert.Equal(await ShiftIdsAsync(ana.UserId), (await fixture.PagesAsync(ana.Connection.ShiftsDataSourceId)).Select(p => p.PayTrackId()).Order().ToList());
        Assert.Equal(await ShiftIdsAsync(ben.UserId), (await fixture.PagesAsync(ben.Connection.ShiftsDataSourceId)).Select(p => p.PayTrackId()).Order().ToList());
        Assert.Empty((await ShiftIdsAsync(ana.UserId)).Intersect(await ShiftIdsAsync(ben.UserId)));
        Assert.DoesNotContain(await fixture.RequestsAsync(ana.Token), r => r.Path.Contains(ben.Connection.ShiftsDataSourceId, StringComparison.Ordinal) || r.Path.Contains(ben.Connection.WeeksDataSourceId, StringComparison.Ordinal));
    }

    private async Task<List<long>> ShiftIdsAsync(string userId)
    {
        var text = await fixture.ScalarAsync<string>("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM shifts WHERE user_id = $1", userId);
        return text.Length == 0 ? [] : text.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }
}
