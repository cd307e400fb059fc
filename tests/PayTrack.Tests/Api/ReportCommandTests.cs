using System.Text.Json;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Api;

public sealed class ReportCommandTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private Dictionary<string, string?> Environment => new(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString };

    [Fact]
    public async Task ReportPrintsTheSummaryAsJsonOfTheDocumentedShape()
    {
        var userId = await app.CreateUserAsync("report@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        var (exitCode, output) = await PayTrackProcess.RunAsync(["report", "--user", "report@example.edu", "--from", "2024-12-01", "--to", "2024-12-14"], Environment);

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var weeks = json.RootElement.GetProperty("workweeks").EnumerateArray()
            .Select(w => (w.GetProperty("start").GetString(), w.GetProperty("hours").GetDecimal(), w.GetProperty("overtime_hours").GetDecimal(), w.GetProperty("gross_pay").GetDecimal()))
            .ToList();
        Assert.Equal([("2024-12-01", 3m, 0m, 42.60m), ("2024-12-08", 24m, 0m, 350.40m)], weeks);
        var periods = json.RootElement.GetProperty("pay_periods").EnumerateArray()
            .Select(p => (p.GetProperty("start").GetString(), p.GetProperty("end").GetString(), p.GetProperty("payday").GetString(), p.GetProperty("gross_pay").GetDecimal()))
            .ToList();
        Assert.Equal([("2024-11-24", "2024-12-07", "2024-12-13", 42.60m), ("2024-12-08", "2024-12-21", "2024-12-27", 350.40m)], periods);
    }

    [Theory]
    [InlineData("nobody@example.edu", "2024-12-01", 1, "No account with the e-mail address nobody@example.edu.")]
    [InlineData("report@example.edu", "2024-12-32", 2, "--from must be a date written YYYY-MM-DD")]
    public async Task ReportRefusesAnUnknownUserOrABadDateWithTheReason(string email, string from, int expectedExit, string expected)
    {
        var (exitCode, output) = await PayTrackProcess.RunAsync(["report", "--user", email, "--from", from], Environment);

        Assert.Equal(expectedExit, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
