using System.Net;
using System.Text.Json;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Connections;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;
using PayTrack.Web.Kronos;
using static PayTrack.Tests.Dashboard.DashboardTestKit;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed class OverviewTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    [Fact]
    public async Task TheOverviewShowsTheWeekPeriodMonthAndYearOfTheWorkedExample()
    {
        var (userId, client) = await app.SignedInAsync("overview@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var html = await client.GetStringAsync("/");

        Assert.Equal(("24.00", "$350.40"), (TestIdText(html, "stat-week-hours"), TestIdText(html, "stat-week-pay")));
        Assert.Equal(("24.00", "$350.40"), (TestIdText(html, "stat-period-hours"), TestIdText(html, "stat-period-pay")));
        Assert.Equal(("27.00", "$393.00"), (TestIdText(html, "stat-month-hours"), TestIdText(html, "stat-month-pay")));
        Assert.Equal(("29.00", "$423.00"), (TestIdText(html, "stat-year-hours"), TestIdText(html, "stat-year-pay")));
        Assert.Equal("Friday, December 13, 2024", TestIdText(html, "next-payday"));
        Assert.Equal("$42.60", TestIdText(html, "next-payday-pay"));
        Assert.Contains("4.00 h over the cap", TestIdText(html, "cap-status"), StringComparison.Ordinal);
        Assert.Contains("cap-over", html, StringComparison.Ordinal);
        Assert.Equal(1, CountTestId(html, "problem"));
        Assert.StartsWith("Tue, Dec 10 17:00, Dining Services, North: Missed out-punch", TestIdText(html, "problem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemsBeforeThePreviousPayPeriodAreCountedNotListed()
    {
        var (userId, client) = await app.SignedInAsync("overview-older@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        await app.IngestAsync(userId, [Timecard(20417, 3, [Period("2024-10-27", "2024-11-09", Punch("D-nov4-open", "2024-11-04T14:00:00Z", null), Punch("D-oct30-open", "2024-10-30T14:00:00Z", null))])]);

        var html = await client.GetStringAsync("/");

        Assert.Equal(1, CountTestId(html, "problem"));
        Assert.Contains("2 older problems before Sun, Nov 24", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWeekChartCarriesEachJobsHoursPerDay()
    {
        var (userId, client) = await app.SignedInAsync("overview-chart@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var html = await client.GetStringAsync("/");
        using var spec = JsonDocument.Parse(ChartJson(html, "week-days"));

        Assert.Equal("bar", spec.RootElement.GetProperty("kind").GetString());
        var series = spec.RootElement.GetProperty("series").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("data").EnumerateArray().Select(d => d.GetDecimal()).ToArray());
        Assert.Equal([4m, 0m, 8m, 0m, 0m, 0m, 0m], series["Library Circulation"]);
        Assert.Equal([0m, 8m, 0m, 4m, 0m, 0m, 0m], series["Dining Services, North"]);
        Assert.Contains("<details class=\"chart-table\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCapMeterTurnsAmberNearTheCap()
    {
        var (userId, client) = await app.SignedInAsync("overview-near@example.edu");
        await app.IngestAsync(userId, [Timecard(10234, 7, [Period("2024-12-08", "2024-12-21", Punch("n-1", "2024-12-09T13:00:00Z", "2024-12-10T07:00:00Z"))])]);

        var html = await client.GetStringAsync("/");

        Assert.Contains("cap-near", html, StringComparison.Ordinal);
        Assert.Contains("2.00 h left, close to the cap", TestIdText(html, "cap-status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TodayIsTheDateInTheUsersOwnTimeZone()
    {
        var (userId, client) = await app.SignedInAsync("overview-west@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var saved = await app.Service<KronosConnections>().SaveAsync(userId, new KronosConnectionInput("https://kronos.example.edu/api", "west", "secret", "America/Los_Angeles"), CancellationToken.None);
        Assert.Equal(Outcome.Ok(), saved);
        var eastern = await app.SignedInAsync("overview-east@example.edu");
        await app.IngestAsync(eastern.UserId, WorkedExample);
        var before = app.TestClock.Now;
        try
        {
            // Sunday 01:00 in New York, a new week there; still Saturday 22:00 in Los Angeles.
            app.TestClock.Now = new DateTimeOffset(2024, 12, 15, 6, 0, 0, TimeSpan.Zero);

            var west = await client.GetStringAsync("/");
            var east = await eastern.Client.GetStringAsync("/");

            Assert.Contains("As of Saturday, December 14, 2024, in America/Los_Angeles time.", west, StringComparison.Ordinal);
            Assert.Equal("24.00", TestIdText(west, "stat-week-hours"));
            Assert.Contains("As of Sunday, December 15, 2024, in America/New_York time.", east, StringComparison.Ordinal);
            Assert.Equal("0.00", TestIdText(east, "stat-week-hours"));
        }
        finally
        {
            app.TestClock.Now = before;
        }
    }

    [Fact]
    public async Task TheSyncPanelShowsForAUserWithAKronosConnectionOnly()
    {
        var (connected, withConnection) = await app.SignedInAsync("overview-sync@example.edu");
        await app.IngestAsync(connected, WorkedExample);
        Assert.Equal(Outcome.Ok(), await app.Service<KronosConnections>().SaveAsync(connected, new KronosConnectionInput("https://kronos.example.edu/api", "sync", "secret", "America/New_York"), CancellationToken.None));
        var (imported, withoutConnection) = await app.SignedInAsync("overview-nosync@example.edu");
        await app.IngestAsync(imported, WorkedExample);

        var page = await withConnection.GetStringAsync("/");
        Assert.Equal(1, CountTestId(page, "sync-panel"));
        Assert.Contains("Not synced yet.", page, StringComparison.Ordinal);
        Assert.Equal(0, CountTestId(await withoutConnection.GetStringAsync("/"), "sync-panel"));

        // The panel's state comes with the overview's own round trip.
        var overview = await app.Service<OverviewQueries>().LoadAsync(new DashboardSubject(connected, IsDemo: false, FixedToday: null), CancellationToken.None);
        Assert.NotNull(overview.Sync?.Connection);
        Assert.Null(overview.Sync.ActiveCatchup);
    }

    [Fact]
    public async Task ANewUserSeesAWelcomeInsteadOfFigures()
    {
        var (_, client) = await app.SignedInAsync("overview-new@example.edu");

        var html = await client.GetStringAsync("/");

        Assert.Contains("Welcome, overview-new@example.edu", TestIdText(html, "dashboard-empty"), StringComparison.Ordinal);
        Assert.Equal(0, CountTestId(html, "stat-week"));
        Assert.DoesNotContain("demo-banner", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// The overview sums minutes per day and job in the database; the API pays every shift on its own. Over two years
    /// of the seed data (raises, overtime weeks, two jobs, open shifts) every figure must agree to the cent.
    /// </summary>
    [Theory]
    [InlineData("2023-03-15")]
    [InlineData("2023-11-06")]
    [InlineData("2024-01-02")]
    [InlineData("2024-12-11")]
    public async Task TheOverviewAgreesWithTheExactPerShiftSummary(string day)
    {
        var userId = await app.CreateUserAsync($"agree-{day}@example.edu");
        await app.ImportSeedBackupAsync(userId);
        var today = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var subject = new DashboardSubject(userId, IsDemo: false, FixedToday: today);

        var overview = await app.Service<OverviewQueries>().LoadAsync(subject, CancellationToken.None);
        var summaries = app.Service<SummaryQueries>();
        foreach (var figure in new[] { overview.Week, overview.Period, overview.Month, overview.Year, overview.NextPaid })
        {
            var exact = await summaries.SummarizeAsync(subject, figure.Dates, CancellationToken.None);
            Assert.Equal((figure.Label, exact.Totals.Minutes, exact.Totals.OvertimeHours, exact.Totals.GrossPay), (figure.Label, figure.Minutes, figure.OvertimeHours, figure.GrossPay));
        }

        Assert.Equal(PayCalculator.YearToDate(today), overview.Year.Dates);
    }

    [Fact]
    public async Task OvertimeInAWorkweekSplitByTwoPayPeriodsLandsOnTheDaysItWasWorked()
    {
        var userId = await app.CreateUserAsync("agree-overtime@example.edu");
        var saved = await app.Service<PaySettingsStore>().SaveAsync(userId, new PayOptions { PeriodKind = PayPeriodKind.SemiMonthly }, CancellationToken.None);
        Assert.Equal(Outcome.Ok(), saved);
        // Workweek Sunday 15 to Saturday 21 December; the pay periods split it after the 15th. 10 h a day at two
        // rates, the jobs interleaved within days: 50 h, 10 of them overtime, all on the 19th and 20th.
        var library = new List<WirePunch>();
        var dining = new List<WirePunch>();
        for (var day = 15; day <= 19; day++)
        {
            library.Add(Punch($"L-{day}-a", $"2024-12-{day}T13:00:00Z", $"2024-12-{day}T16:00:00Z"));
            dining.Add(Punch($"D-{day}", $"2024-12-{day}T16:30:00Z", $"2024-12-{day}T21:30:00Z"));
            library.Add(Punch($"L-{day}-b", $"2024-12-{day}T22:00:00Z", $"2024-12-{day}T23:59:00Z"));
        }

        await app.IngestAsync(userId, [Timecard(10234, 7, [Period("2024-12-15", "2024-12-28", [.. library])]), Timecard(20417, 3, [Period("2024-12-15", "2024-12-28", [.. dining])])]);
        var subject = new DashboardSubject(userId, IsDemo: false, FixedToday: new DateOnly(2024, 12, 20));

        var overview = await app.Service<OverviewQueries>().LoadAsync(subject, CancellationToken.None);
        var summaries = app.Service<SummaryQueries>();
        var week = await summaries.SummarizeAsync(subject, overview.Week.Dates, CancellationToken.None);
        var period = await summaries.SummarizeAsync(subject, overview.Period.Dates, CancellationToken.None);

        Assert.Equal(new DateOnly(2024, 12, 16), overview.Period.Dates.Start);
        Assert.True(week.Totals.OvertimeHours > 9m, $"expected about 10 h of overtime, got {week.Totals.OvertimeHours}");
        Assert.Equal((week.Totals.Minutes, week.Totals.OvertimeHours, week.Totals.GrossPay), (overview.Week.Minutes, overview.Week.OvertimeHours, overview.Week.GrossPay));
        Assert.Equal((period.Totals.Minutes, period.Totals.OvertimeHours, period.Totals.GrossPay), (overview.Period.Minutes, overview.Period.OvertimeHours, overview.Period.GrossPay));
    }

    /// <summary>The overview reads one window of dates before it knows the user's settings; every valid setting must fit it.</summary>
    [Fact]
    public void TheOverviewsWindowHoldsEveryDayAnySettingsNeed()
    {
        foreach (var kind in Enum.GetValues<PayPeriodKind>())
        {
            foreach (var offset in new[] { 0, 6, 13, 31, 60 })
            {
                foreach (var start in Enum.GetValues<DayOfWeek>())
                {
                    var options = new PayOptions { PeriodKind = kind, PaydayOffsetDays = offset, WorkweekStart = start, PeriodAnchor = new DateOnly(2024, 1, 10) };
                    var calculator = new PayCalculator(options, PayRateTable.Empty);
                    var calendar = calculator.Calendar;
                    for (var utc = new DateOnly(2023, 12, 20); utc <= new DateOnly(2025, 1, 15); utc = utc.AddDays(3))
                    {
                        var (window, since) = OverviewQueries.Window((utc.AddDays(-1), utc.AddDays(1)));
                        foreach (var today in new[] { utc.AddDays(-1), utc, utc.AddDays(1) })
                        {
                            var period = calendar.PeriodContaining(today);
                            var paid = calendar.PeriodContaining(today.AddDays(-offset));
                            DateRange[] ranges = [calendar.WorkweekContaining(today), period.Dates, PayCalculator.MonthOf(today), PayCalculator.YearToDate(today), paid.Dates];
                            foreach (var needed in ranges.Select(calculator.ShiftDatesNeededFor))
                            {
                                Assert.True(window.Start <= needed.Start && needed.End <= window.End, $"{kind} +{offset} {start} on {today}: needs {needed}, window {window}");
                            }

                            Assert.True(since <= calendar.PeriodContaining(period.Start.AddDays(-1)).Start, $"{kind} on {today}: problems from before {since}");
                        }
                    }
                }
            }
        }
    }
}
