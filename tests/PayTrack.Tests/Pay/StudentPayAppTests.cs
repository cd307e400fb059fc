using System.Net;
using System.Text.Json;
using Ical.Net.CalendarComponents;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Data;
using PayTrack.Web.CalendarFeed;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Pay;

/// <summary>
/// The student rules through the store, the pages, the API, the calendar feed and the commands, on the overview's
/// worked example (today Wednesday 2024-12-11 in New York; Library $14.20, Dining $15.00).
/// </summary>
public sealed class StudentPayAppTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private Dictionary<string, string?> Environment => new(StringComparer.Ordinal)
    {
        ["ConnectionStrings__PayTrack"] = app.ConnectionString,
        ["PayTrack__CalendarFeed__PublicUrl"] = "https://paytrack.example.edu",
    };

    [Fact]
    public async Task TheCalendarFeedParsesBackWithOneEventPerShiftAndProblemsMarked()
    {
        var (userId, client) = await app.SignedInAsync("calendar@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var other = await app.CreateUserAsync("calendar-other@example.edu");
        await app.IngestAsync(other, [WorkedExample[0]]);
        var token = await app.Service<CalendarFeeds>().CreateAsync(userId, CancellationToken.None);
        using var anonymous = app.CreateClient();

        using var response = await anonymous.GetAsync(CalendarFeeds.PathOf(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var calendar = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        // The worked example holds 8 shifts of this user (4 Library, 4 Dining); the other user's are not in it.
        Assert.Equal(8, calendar.Events.Count);
        Assert.Equal(8, calendar.Events.Select(e => e.Uid).Distinct(StringComparer.Ordinal).Count());
        var open = Assert.Single(calendar.Events, e => e.Categories.Contains(CalendarFeedWriter.ProblemCategory));
        Assert.StartsWith("⚠ Missing out-punch", open.Summary, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2024, 12, 10, 22, 0, 0, DateTimeKind.Utc), open.Start!.AsUtc);
        CalendarEvent tenth = Assert.Single(calendar.Events, e => e.Start!.AsUtc == new DateTime(2024, 12, 10, 13, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2024, 12, 10, 21, 0, 0, DateTimeKind.Utc), tenth.End!.AsUtc);
        Assert.EndsWith("8.00 h", tenth.Summary, StringComparison.Ordinal);
        _ = client;
    }

    [Fact]
    public async Task ARevokedOrReplacedCalendarAddressStopsWorking()
    {
        var userId = await app.CreateUserAsync("calendar-revoke@example.edu");
        var feeds = app.Service<CalendarFeeds>();
        var first = await feeds.CreateAsync(userId, CancellationToken.None);
        var second = await feeds.CreateAsync(userId, CancellationToken.None);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(CalendarFeeds.PathOf(first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CalendarFeeds.PathOf(second))).StatusCode);
        Assert.True((await feeds.RevokeAsync(userId, CancellationToken.None)).Succeeded);
        using var revoked = await client.GetAsync(CalendarFeeds.PathOf(second));
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Equal("This calendar address is not valid any more. Make a new one on PayTrack's settings page.", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/calendar.ics?token=ptc_guessed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/calendar.ics")).StatusCode);
    }

    [Fact]
    public async Task ATermMakesThisWeekABreakOnTheDashboard()
    {
        var (userId, client) = await app.SignedInAsync("terms-page@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var added = await app.Service<StudentPayStore>().AddTermAsync(userId, "Fall 2024", new DateOnly(2024, 8, 26), new DateOnly(2024, 12, 6), CancellationToken.None);

        Assert.True(added.Succeeded, added.Message);
        var settings = await client.GetStringAsync("/settings");
        Assert.Contains("Fall 2024", settings, StringComparison.Ordinal);
        var dashboard = await client.GetStringAsync("/");
        // Today's week (Sunday 12-08 to Saturday 12-14) has no day of Fall 2024, which ended on Friday 12-06.
        Assert.Contains("Break week:</strong>", dashboard, StringComparison.Ordinal);
        Assert.Contains("the 40.00-hour cap applies", dashboard, StringComparison.Ordinal);
        Assert.Contains("Fall 2024 ended on December 6, 2024", dashboard, StringComparison.Ordinal);
        Assert.Contains("not legal or tax advice", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardPanelKeepsTheYearsRoundingByPayPeriodNotEveryShift()
    {
        var userId = await app.CreateUserAsync("rounding-panel@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var subject = new DashboardSubject(userId, false, null);
        var profile = await app.Service<PayProfiles>().LoadAsync(subject, CancellationToken.None);

        var panel = (await app.Service<OverviewQueries>().LoadAsync(subject, CancellationToken.None)).Student!.YearRounding;
        var full = (await app.Service<StudentPayQueries>().ReportAsync(profile, PayTrack.Web.Pay.PayCalculator.YearToDate(profile.Today), CancellationToken.None)).Rounding;

        Assert.NotEmpty(full.Shifts);
        Assert.Empty(panel.Shifts);
        Assert.Empty(panel.Workweeks);
        Assert.Equal(full.PayPeriods, panel.PayPeriods);
        Assert.Equal(full.Total, panel.Total);
        Assert.Equal(full.Statement, panel.Statement);
    }

    [Fact]
    public async Task TheDashboardWarnsThatAWorkStudyAwardRunsOutEarlyAndCitesItsSource()
    {
        var (userId, client) = await app.SignedInAsync("award-page@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var profile = await app.Service<PayTrack.Web.Dashboard.PayProfiles>().LoadAsync(new PayTrack.Web.Dashboard.DashboardSubject(userId, false, null), CancellationToken.None);
        var library = profile.Jobs.Single(j => j.EmployeeId == 10234).Id;
        // $350 from 12-01 to 12-20 on Library ($14.20): 12-02 3 h, 12-08 4 h, 12-10 8 h = 15 h, $213.00 by today 12-11;
        // $137.00 left. Pace: $213 over the award's 11 days = $19.363636 a day ($135.55 a week); 137 / 19.363636 = 7.1
        // -> 8 days: 12-19, before 12-20. Days left 9: 137 x 7 / 9 / 14.20 = 7.50 h a week would make it last.
        Assert.Equal(Outcome.Ok(), await app.Service<StudentPayStore>().AddAwardAsync(userId, "Work-study", 350m, new DateOnly(2024, 12, 1), new DateOnly(2024, 12, 20), [library], CancellationToken.None));

        var dashboard = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/"));

        Assert.Contains("$213.00 of $350.00 earned. At $135.55 a week the award runs out on December 19, 2024, before it ends on December 20, 2024. About 7.50 hours a week would make it last.",
            dashboard, StringComparison.Ordinal);
        Assert.Contains("34 CFR Part 675", dashboard, StringComparison.Ordinal);
        Assert.Equal(Outcome.NotFound("Choose jobs of your own for the award."),
            await app.Service<StudentPayStore>().AddAwardAsync(userId, "Not mine", 100m, new DateOnly(2024, 12, 1), new DateOnly(2024, 12, 20), [library + 100_000], CancellationToken.None));
    }

    [Fact]
    public async Task AnAwardThatBeganBeforeTheOverviewsDatesCountsItsEarlierShiftsOnTheDashboard()
    {
        var (userId, client) = await app.SignedInAsync("award-early@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        // 3 h on Library in October 2023: before the dates the overview reads for its figures (from 2023-12-09 on).
        await app.IngestAsync(userId, [TimecardTestKit.Timecard(10234, 7, [TimecardTestKit.Period("2023-10-01", "2023-10-14",
            TimecardTestKit.Punch("L-oct", "2023-10-03T14:00:00Z", "2023-10-03T17:00:00Z"))])]);
        var profile = await app.Service<PayProfiles>().LoadAsync(new DashboardSubject(userId, false, null), CancellationToken.None);
        var library = profile.Jobs.Single(j => j.EmployeeId == 10234).Id;
        Assert.Equal(Outcome.Ok(), await app.Service<StudentPayStore>().AddAwardAsync(userId, "2023-24", 500m, new DateOnly(2023, 8, 28), new DateOnly(2024, 5, 10), [library], CancellationToken.None));

        var dashboard = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/"));

        // 2023-10-03 3 h and 2023-12-30 2 h on Library at $14.20: $71.00, as the settings page (which reads the award's own dates) says.
        var settings = Assert.Single(await app.Service<StudentPayQueries>().WorkStudyAsync(profile, CancellationToken.None));
        Assert.Equal(71.00m, settings.Earned);
        Assert.Contains("<strong>2023-24:</strong> $71.00 of $500.00 earned.", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadTermIsRefusedWithOneSentenceAndNothingIsSaved()
    {
        var (userId, _) = await app.SignedInAsync("terms-bad@example.edu");

        var added = await app.Service<StudentPayStore>().AddTermAsync(userId, "Backwards", new DateOnly(2024, 12, 6), new DateOnly(2024, 8, 26), CancellationToken.None);

        Assert.Equal("A term's last day cannot be before its first day.", added.Message);
        Assert.Empty(await app.Service<StudentPayStore>().ListTermsAsync(userId, CancellationToken.None));
    }

    [Fact]
    public async Task TheCommandsSetThePayRulesAndTheReportShowsTheNewFigures()
    {
        var userId = await app.CreateUserAsync("student-cli@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var term = await PayTrackProcess.RunAsync(["terms", "add", "--user", "student-cli@example.edu", "--name", "Fall 2024", "--first", "2024-08-26", "--last", "2024-12-06"], Environment);
        Assert.True(term.ExitCode == 0, term.Output);
        var set = await PayTrackProcess.RunAsync(["pay", "set", "--user", "student-cli@example.edu", "--overtime-rule", "california", "--break-cap", "30",
            "--fica-exempt", "true", "--withholding-percent", "5"], Environment);
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("overtime_rule        california", set.Output, StringComparison.Ordinal);

        var (exitCode, output) = await PayTrackProcess.RunAsync(["report", "--user", "student-cli@example.edu", "--from", "2024-12-01", "--to", "2024-12-14"], Environment);

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var weeks = json.RootElement.GetProperty("workweeks").EnumerateArray().ToList();
        Assert.Equal(("term", 20m), (weeks[0].GetProperty("cap").GetProperty("kind").GetString(), weeks[0].GetProperty("cap").GetProperty("cap_hours").GetDecimal()));
        Assert.Equal(("break", 30m), (weeks[1].GetProperty("cap").GetProperty("kind").GetString(), weeks[1].GetProperty("cap").GetProperty("cap_hours").GetDecimal()));
        // Week of 12-08: 24 h, none past 8 h a day (the longest day is 8 h), so all regular under California too.
        Assert.Equal((24m, 0m, 0m, 350.40m), (weeks[1].GetProperty("regular_hours").GetDecimal(), weeks[1].GetProperty("overtime_hours").GetDecimal(),
            weeks[1].GetProperty("double_time_hours").GetDecimal(), weeks[1].GetProperty("gross_pay").GetDecimal()));
        var rounding = weeks[1].GetProperty("rounding");
        Assert.Equal(rounding.GetProperty("worked_minutes").GetInt32(), rounding.GetProperty("paid_minutes").GetInt32() - rounding.GetProperty("difference_minutes").GetInt32());
        Assert.Equal("california", json.RootElement.GetProperty("overtime_rule").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("work_study").GetArrayLength());
        // Net: gross $393.00; the 12-02 shift ($42.60) is in Fall 2024 and exempt; the week of 12-08 ($350.40) is after
        // the last term entered, so FICA applies: 350.40 x 6.2% = 21.7248 -> $21.72; x 1.45% = 5.0808 -> $5.08;
        // withholding 5% of 393.00 = $19.65; net 393.00 - 21.72 - 5.08 - 19.65 = $346.55.
        var net = json.RootElement.GetProperty("net");
        Assert.Equal((393.00m, 42.60m, 21.72m, 5.08m, 19.65m, 346.55m),
            (net.GetProperty("gross_pay").GetDecimal(), net.GetProperty("fica_exempt_pay").GetDecimal(), net.GetProperty("social_security").GetDecimal(),
             net.GetProperty("medicare").GetDecimal(), net.GetProperty("withholding").GetDecimal(), net.GetProperty("net_pay").GetDecimal()));
        Assert.Contains("26 U.S.C. 3121(b)(10)", net.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayShowListsTheRulesAndCalendarUrlPrintsAWorkingAddress()
    {
        var userId = await app.CreateUserAsync("calendar-cli@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var show = await PayTrackProcess.RunAsync(["pay", "show", "--user", "calendar-cli@example.edu"], Environment);
        Assert.True(show.ExitCode == 0, show.Output);
        Assert.Contains("overtime_rule        federal", show.Output, StringComparison.Ordinal);
        Assert.Contains("break_cap            40", show.Output, StringComparison.Ordinal);

        var (exitCode, output) = await PayTrackProcess.RunAsync(["calendar-url", "--user", "calendar-cli@example.edu"], Environment);

        Assert.True(exitCode == 0, output);
        var url = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("https://paytrack.example.edu/calendar.ics?token=ptc_", StringComparison.Ordinal));
        using var client = app.CreateClient();
        var calendar = Ical.Net.Calendar.Load(await client.GetStringAsync(new Uri(url).PathAndQuery))!;
        Assert.Equal(8, calendar.Events.Count);
    }

    [Theory]
    [InlineData("--overtime-rule", "texas", "--overtime-rule must be federal or california.")]
    [InlineData("--break-cap", "200", "The break cap must be 0 (off) to 168 hours.")]
    [InlineData("--withholding-percent", "120", "The withholding must be 0 to 100 percent.")]
    public async Task PaySetRefusesABadValueWithTheReason(string option, string value, string expected)
    {
        await app.CreateUserAsync($"pay-bad{value}@example.edu");

        var (exitCode, output) = await PayTrackProcess.RunAsync(["pay", "set", "--user", $"pay-bad{value}@example.edu", option, value], Environment);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiGivesTheAuditTheStubChecksAndTheAwards()
    {
        var (userId, client) = await app.SignedInAsync("student-api@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var store = app.Service<StudentPayStore>();
        // PayTrack's period 2024-12-08..12-21 so far: 24 h + the open shift; the stub paid 26 h, $380.40.
        Assert.Equal(Outcome.Ok(), await store.AddStubAsync(userId, new DateOnly(2024, 12, 8), new DateOnly(2024, 12, 21), 26m, 380.40m, CancellationToken.None));

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/pay/student?from=2024-12-01&to=2024-12-14"));

        Assert.Equal("neutral", json.RootElement.GetProperty("rounding").GetProperty("lean").GetString());
        var stub = Assert.Single(json.RootElement.GetProperty("stubs").EnumerateArray());
        Assert.Equal(2m, stub.GetProperty("hours_difference").GetDecimal());
        Assert.Contains(stub.GetProperty("explanations").EnumerateArray(), e => e.GetProperty("reason").GetString() == "missed_punch" && e.GetProperty("date").GetString() == "2024-12-10");
        using var summary = JsonDocument.Parse(await client.GetStringAsync("/api/summary?from=2024-12-08&to=2024-12-14"));
        Assert.Equal(350.40m, summary.RootElement.GetProperty("net").GetProperty("gross_pay").GetDecimal());
        Assert.Equal("These figures are estimates, not legal or tax advice.", summary.RootElement.GetProperty("disclaimer").GetString());
    }
}
