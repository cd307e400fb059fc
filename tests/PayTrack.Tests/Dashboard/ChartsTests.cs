using System.Text.Json;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed class ChartsTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private static readonly string[] ChartIds = ["span-days", "pay-by-job", "weeks", "year-calendar", "timeline", "weekday-hours"];

    [Fact]
    public async Task EveryChartHasItsDataAndATableForScreenReaders()
    {
        var (userId, client) = await app.SignedInAsync("charts-all@example.edu");
        await app.ImportSeedBackupAsync(userId);

        var html = await client.GetStringAsync("/charts?date=2024-11-13");

        foreach (var id in ChartIds)
        {
            using var spec = JsonDocument.Parse(ChartJson(html, id));
            Assert.NotEqual(0, spec.RootElement.GetProperty("series").GetArrayLength());
            Assert.Contains($"data-testid=\"chart-{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(ChartIds.Length, CountTestId(html, "chart-span-days") + CountTestId(html, "chart-pay-by-job") + CountTestId(html, "chart-weeks")
            + CountTestId(html, "chart-year-calendar") + CountTestId(html, "chart-timeline") + CountTestId(html, "chart-weekday-hours"));
        Assert.Equal(ChartIds.Length, html.Split("<details class=\"chart-table\">").Length - 1);
        Assert.Equal(ChartIds.Length, html.Split("role=\"img\" aria-label=").Length - 1);
    }

    [Fact]
    public async Task TheCalendarHeatmapHoldsEveryHourOfTheYear()
    {
        var (userId, client) = await app.SignedInAsync("charts-heatmap@example.edu");
        await app.ImportSeedBackupAsync(userId);
        var year = await app.Service<SummaryQueries>().SummarizeAsync(new DashboardSubject(userId, false, new DateOnly(2023, 12, 31)),
            new DateRange(new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31)), CancellationToken.None);

        var html = await client.GetStringAsync("/charts?date=2023-06-14&year=2023");
        using var spec = JsonDocument.Parse(ChartJson(html, "year-calendar"));

        var cells = spec.RootElement.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("data").EnumerateArray()).ToList();
        var hours = cells.Where(c => c.TryGetProperty("y", out var y) && y.ValueKind == JsonValueKind.Number).Sum(c => c.GetProperty("y").GetDecimal());
        Assert.Equal(7, spec.RootElement.GetProperty("series").GetArrayLength());
        Assert.True(Math.Abs(year.Totals.Hours - hours) < 1m, $"heatmap {hours} h, year {year.Totals.Hours} h");
        Assert.Equal(year.Days.Count(d => d.Minutes > 0), cells.Count(c => c.TryGetProperty("y", out var y) && y.ValueKind == JsonValueKind.Number && y.GetDecimal() > 0));
    }

    [Fact]
    public async Task ThePayPeriodViewAndTheTimelineFollowTheChosenDay()
    {
        var (userId, client) = await app.SignedInAsync("charts-period@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var html = await client.GetStringAsync("/charts?date=2024-12-10&span=period");

        using var days = JsonDocument.Parse(ChartJson(html, "span-days"));
        Assert.Equal(14, days.RootElement.GetProperty("categories").GetArrayLength());
        using var timeline = JsonDocument.Parse(ChartJson(html, "timeline"));
        var bars = timeline.RootElement.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("data").EnumerateArray()).ToList();
        Assert.Equal(["Sun 12/8", "Mon 12/9", "Tue 12/10", "Wed 12/11"], bars.Select(b => b.GetProperty("x").GetString()));
        var sunday = bars.Single(b => b.GetProperty("x").GetString() == "Sun 12/8");
        Assert.Equal([9m, 13m], sunday.GetProperty("y").EnumerateArray().Select(v => v.GetDecimal()));
    }

    [Fact]
    public async Task AnUnreadableDateFallsBackToToday()
    {
        var (_, client) = await app.SignedInAsync("charts-baddate@example.edu");

        var html = await client.GetStringAsync("/charts?date=someday&year=abc");

        Assert.Contains("value=\"2024-12-11\"", html, StringComparison.Ordinal);
    }
}
