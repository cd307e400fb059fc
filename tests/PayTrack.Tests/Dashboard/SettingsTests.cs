using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Connections;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed class SettingsTests(DashboardAppFactory app, SimulatorFixture kronos) : IClassFixture<DashboardAppFactory>, IClassFixture<SimulatorFixture>
{
    // The forms themselves run on the page's circuit (tests/PayTrack.BrowserTests/SettingsBrowserTests); these tests
    // cover what the sections call and what the prerendered page shows.
    private static PayOptions PayChange(decimal cap, int paydayOffset = 6) => new()
    {
        PeriodKind = PayPeriodKind.Biweekly,
        PeriodAnchor = new DateOnly(2024, 1, 7),
        PaydayOffsetDays = paydayOffset,
        WorkweekStart = DayOfWeek.Sunday,
        WeeklyCapHours = cap,
        NearCapMarginHours = 2,
        OvertimeEnabled = true,
        UseRoundedTimes = true,
    };

    [Fact]
    public async Task SavedPaySettingsChangeTheCapOnTheOverview()
    {
        var (userId, client) = await app.SignedInAsync("settings-cap@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        Assert.Equal(Outcome.Ok(), await app.Service<PaySettingsStore>().SaveAsync(userId, PayChange(30), CancellationToken.None));

        Assert.Contains("6.00 h left", TestIdText(await client.GetStringAsync("/"), "cap-status"), StringComparison.Ordinal);
        Assert.Contains("Your own settings.", await client.GetStringAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPaySettingsAreExplainedAndNotSaved()
    {
        var (userId, client) = await app.SignedInAsync("settings-invalid@example.edu");

        var saved = await app.Service<PaySettingsStore>().SaveAsync(userId, PayChange(200, paydayOffset: 99), CancellationToken.None);

        Assert.Equal(OutcomeKind.Invalid, saved.Kind);
        Assert.Contains("Payday must be 0 to 60 days after the pay period ends.", saved.Message, StringComparison.Ordinal);
        Assert.Contains("The weekly cap must be 0 (off) to 168 hours.", saved.Message, StringComparison.Ordinal);
        Assert.Contains("defaults; saving makes them yours", await client.GetStringAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARaisePaysShiftsFromItsDateOn()
    {
        var (userId, client) = await app.SignedInAsync("settings-raise@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var library = (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None)).First(r => r.EmployeeId == 10234).Shift.JobId;
        var store = app.Service<PaySettingsStore>();

        Assert.Equal(Outcome.Ok(), await store.AddRateAsync(userId, library, new DateOnly(2024, 12, 9), 20.00m, CancellationToken.None));

        // Sunday's 4 h stay at $14.20; Tuesday's 8 h are now $20: 56.80 + 160 + 180 (Dining).
        Assert.Equal("$396.80", TestIdText(await client.GetStringAsync("/"), "stat-week-pay"));
        var settings = await client.GetStringAsync("/settings");
        Assert.Equal(1, CountTestId(settings, "rate-row"));
        Assert.Equal(Outcome.Refused("That job already has a rate from 2024-12-09; remove it first."),
            await store.AddRateAsync(userId, library, new DateOnly(2024, 12, 9), 21.00m, CancellationToken.None));
    }

    [Fact]
    public async Task ATokenIsShownOnceThenOnlyByItsStartAndCanBeRevoked()
    {
        var (userId, client) = await app.SignedInAsync("settings-token@example.edu");
        var tokens = app.Service<PayTrack.Web.Api.ApiTokens>();

        var created = await tokens.CreateAsync(userId, "spreadsheet", CancellationToken.None);
        Assert.True(created.Succeeded, created.Message);
        var token = created.Value!.Token;
        Assert.StartsWith("ptk_", token, StringComparison.Ordinal);

        var later = await client.GetStringAsync("/settings");
        Assert.DoesNotContain(token, later, StringComparison.Ordinal);
        Assert.Contains(token[..12] + "…", later, StringComparison.Ordinal);

        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/shifts")).StatusCode);

        var tokenId = (await tokens.ListAsync(userId, CancellationToken.None)).Single().Id;
        var other = await app.CreateUserAsync("settings-token-other@example.edu");
        Assert.False((await tokens.RevokeAsync(other, tokenId, CancellationToken.None)).Succeeded);
        Assert.True((await tokens.RevokeAsync(userId, tokenId, CancellationToken.None)).Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/shifts")).StatusCode);
    }

    [Fact]
    public async Task TestConnectionSignsInToTheSiteAndListsTheJobsWithoutSaving()
    {
        var (userId, _) = await app.SignedInAsync("settings-kronos-test@example.edu");

        var result = await app.Service<KronosConnectionTester>().TestAsync(
            KronosConnections.SettingsFor(kronos.BaseUrl, "ana.student", "demo", "America/New_York", null), CancellationToken.None);

        Assert.StartsWith("Signed in to Kronos as ana.student. Jobs found:", result.Message, StringComparison.Ordinal);
        Assert.Null(await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None));
    }

    [Fact]
    public async Task ASavedConnectionNeverShowsItsPasswordAgain()
    {
        var (userId, client) = await app.SignedInAsync("settings-kronos-save@example.edu");

        var refused = await app.Service<KronosConnectionTester>().TestAsync(
            KronosConnections.SettingsFor(kronos.BaseUrl, "ana.student", "wrong-password", "America/New_York", null), CancellationToken.None);
        Assert.Contains("Kronos did not accept this username and password", refused.Message, StringComparison.Ordinal);

        Assert.Equal(Outcome.Ok(), await app.Service<KronosConnections>().SaveAsync(userId, new KronosConnectionInput(kronos.BaseUrl, "ana.student", "demo", "America/New_York"), CancellationToken.None));
        var connection = await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None);
        Assert.NotNull(connection);
        Assert.NotEqual("demo", connection.ProtectedPassword);
        var page = await client.GetStringAsync("/settings");
        Assert.Contains("as <strong>ana.student</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(connection.ProtectedPassword, page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"demo\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingTheAccountRemovesEveryRowOfTheUserAndNothingElse()
    {
        var keep = await app.CreateUserAsync("settings-keep@example.edu");
        await app.IngestAsync(keep, WorkedExample);
        var (userId, client) = await app.SignedInAsync("settings-delete@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        Assert.Equal(Outcome.Ok(), await app.Service<PaySettingsStore>().SaveAsync(userId, PayChange(25), CancellationToken.None));
        Assert.True((await app.Service<PayTrack.Web.Api.ApiTokens>().CreateAsync(userId, "to be deleted", CancellationToken.None)).Succeeded);
        Assert.Equal(Outcome.Ok(), await app.Service<KronosConnections>().SaveAsync(userId, new KronosConnectionInput(kronos.BaseUrl, "ana.student", "demo", "America/New_York"), CancellationToken.None));
        var keptBefore = await RowsOfAsync(keep);
        Assert.True((await RowsOfAsync(userId)).Count >= 6);

        using var wrong = await client.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Input.Password"] = "not-my-password" }, "delete-account");
        Assert.Equal("That is not your password; nothing was deleted.", TestIdText(await wrong.Content.ReadAsStringAsync(), "delete-error"));
        Assert.NotEmpty(await RowsOfAsync(userId));

        using var deleted = await client.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Input.Password"] = TimecardTestKit.Password }, "delete-account");

        Assert.Equal("/?deleted=1", deleted.RedirectPath());
        Assert.Empty(await RowsOfAsync(userId));
        Assert.Equal(keptBefore, await RowsOfAsync(keep));
        using var again = app.Browser();
        using var signIn = await again.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = "settings-delete@example.edu", ["Input.Password"] = TimecardTestKit.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    /// <summary>Every row that names the user: in each table with a user_id column (found in the catalog), and the account itself.</summary>
    private async Task<List<string>> RowsOfAsync(string userId)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.columns WHERE column_name = 'user_id' AND table_schema = current_schema() ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Append("identity_users"))
        {
            var column = table == "identity_users" ? "id" : "user_id";
            await using var select = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t WHERE {column} = @user ORDER BY 1", connection);
            select.Parameters.AddWithValue("user", userId);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(table + " " + reader.GetString(0));
            }
        }

        return rows;
    }
}
