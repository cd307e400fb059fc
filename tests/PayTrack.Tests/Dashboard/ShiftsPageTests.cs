using System.Net;
using System.Text.RegularExpressions;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed partial class ShiftsPageTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private async Task<long> JobIdAsync(string userId, long employeeId) =>
        (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None)).First(r => r.EmployeeId == employeeId).Shift.JobId;

    [Fact]
    public async Task TheTableFiltersByDatesJobAndProblemsAndPagesNewestFirst()
    {
        var (userId, client) = await app.SignedInAsync("shifts-filter@example.edu");
        var imported = await app.ImportSeedBackupAsync(userId);
        var all = await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None);

        var first = await client.GetStringAsync("/shifts");
        Assert.Equal($"{all.Count} shifts, page 1 of {(all.Count + 49) / 50}", TestIdText(first, "shift-count"));
        Assert.Equal(50, CountTestId(first, "shift-row"));
        Assert.Contains($"data-shift-id=\"{all[^1].Shift.Id}\"", first, StringComparison.Ordinal);

        var problems = await client.GetStringAsync("/shifts?problems=1");
        var expectedProblems = all.Count(r => r.Shift.Status is ShiftStatus.MissingOut or ShiftStatus.Anomaly);
        Assert.True(expectedProblems > 0);
        Assert.Equal(expectedProblems, CountTestId(problems, "shift-row"));
        Assert.Equal(expectedProblems, ProblemRow().Count(problems));

        var dining = await JobIdAsync(userId, 20417);
        var december = await client.GetStringAsync($"/shifts?from=2024-12-01&to=2024-12-31&job={dining}");
        Assert.Equal(all.Count(r => r.Shift.JobId == dining && r.Shift.LocalDate >= new DateOnly(2024, 12, 1)), CountTestId(december, "shift-row"));
        Assert.True(imported.ShiftsWritten > 50);
    }

    [Fact]
    public async Task ABadFilterValueIsNamedAndIgnored()
    {
        var (_, client) = await app.SignedInAsync("shifts-badfilter@example.edu");

        using var response = await client.GetAsync("/shifts?from=yesterday");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("From must be a date such as 2025-01-05; it was ignored.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShiftForAJobThatIsNotYoursIsRefusedAndNothingIsStored()
    {
        var (userId, _) = await app.SignedInAsync("shifts-notmine@example.edu");
        var other = await app.CreateUserAsync("shifts-other@example.edu");
        await app.ImportSeedBackupAsync(other);
        var before = await TimecardTestKit.SnapshotAsync(app.ConnectionString);
        var start = new DateTimeOffset(2024, 12, 12, 18, 0, 0, TimeSpan.Zero);

        var result = await app.Service<ManualShifts>().AddAsync(userId, new ManualShiftRequest(await JobIdAsync(other, 10234), start, start.AddHours(3), null), CancellationToken.None);

        Assert.Equal("That job is not one of yours.", result.Message);
        Assert.Equal(before, await TimecardTestKit.SnapshotAsync(app.ConnectionString));
    }

    [Fact]
    public async Task AVisitorSeesTheDemoShiftsWithoutFormsOrExport()
    {
        using var visitor = app.Browser();

        var html = await visitor.GetStringAsync("/shifts");

        Assert.Contains("data-testid=\"demo-banner\"", html, StringComparison.Ordinal);
        Assert.Equal(50, CountTestId(html, "shift-row"));
        Assert.DoesNotContain("shift-form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("csv-export", html, StringComparison.Ordinal);
        Assert.DoesNotContain("delete-shift", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<tr class=\"problem\"")]
    private static partial Regex ProblemRow();
}
