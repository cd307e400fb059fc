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
    private static Dictionary<string, string> ShiftForm(long jobId, string date, string start, string end, string? note = null, long? shiftId = null)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.JobId"] = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Date"] = date,
            ["Input.Start"] = start,
            ["Input.End"] = end,
            ["Input.Note"] = note ?? "",
        };
        if (shiftId is { } id)
        {
            fields["Input.ShiftId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return fields;
    }

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
    public async Task AddingAShiftByHandChangesTheTotals()
    {
        var (userId, client) = await app.SignedInAsync("shifts-add@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        Assert.Equal("24.00", TestIdText(await client.GetStringAsync("/"), "stat-week-hours"));

        using var added = await client.SubmitAsync("/shifts", ShiftForm(await JobIdAsync(userId, 10234), "2024-12-12", "13:00", "16:30", "Covered for Sam"), "shift");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/shifts?done=added", added.RedirectPath());
        var overview = await client.GetStringAsync("/");
        Assert.Equal(("27.50", "$400.10"), (TestIdText(overview, "stat-week-hours"), TestIdText(overview, "stat-week-pay")));
        var shifts = await client.GetStringAsync("/shifts?from=2024-12-12&to=2024-12-12");
        Assert.Contains("Your note: Covered for Sam", shifts, StringComparison.Ordinal);
        Assert.Contains("Entered by hand", shifts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManualShiftCanBeCorrectedAndDeleted()
    {
        var (userId, client) = await app.SignedInAsync("shifts-edit@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var library = await JobIdAsync(userId, 10234);
        (await client.SubmitAsync("/shifts", ShiftForm(library, "2024-12-13", "09:00", "10:00"), "shift")).Dispose();
        var id = (await app.Service<ShiftQueries>().ListAsync(userId, new DateOnly(2024, 12, 13), new DateOnly(2024, 12, 13), CancellationToken.None)).Single().Shift.Id;

        var edit = await client.GetStringAsync($"/shifts?edit={id}");
        Assert.Contains("Correct a shift you entered", edit, StringComparison.Ordinal);
        using var saved = await client.SubmitAsync($"/shifts?edit={id}", ShiftForm(library, "2024-12-13", "09:00", "12:00", shiftId: id), "shift");
        Assert.Equal("/shifts?done=saved", saved.RedirectPath());
        Assert.Equal("27.00", TestIdText(await client.GetStringAsync("/"), "stat-week-hours"));

        using var deleted = await client.SubmitAsync("/shifts", new Dictionary<string, string> { ["ShiftId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "delete-shift");
        Assert.Equal("/shifts?done=deleted", deleted.RedirectPath());
        Assert.Equal("24.00", TestIdText(await client.GetStringAsync("/"), "stat-week-hours"));
    }

    [Fact]
    public async Task AShiftForAJobThatIsNotYoursIsRefusedAndNothingIsStored()
    {
        var other = await app.CreateUserAsync("shifts-other@example.edu");
        await app.IngestAsync(other, WorkedExample);
        var (userId, client) = await app.SignedInAsync("shifts-mine@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var before = await TimecardTestKit.SnapshotAsync(app.ConnectionString);

        using var response = await client.SubmitAsync("/shifts", ShiftForm(await JobIdAsync(other, 10234), "2024-12-12", "13:00", "16:00"), "shift");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("That job is not one of yours.", TestIdText(await response.Content.ReadAsStringAsync(), "shift-form-error"));
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
