using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed class SettingsTests(DashboardAppFactory app, SimulatorFixture kronos) : IClassFixture<DashboardAppFactory>, IClassFixture<SimulatorFixture>
{
    private static Dictionary<string, string> PayForm(string cap, string paydayOffset = "6", string overtime = "true") => new(StringComparer.Ordinal)
    {
        ["Input.PeriodKind"] = "Biweekly",
        ["Input.PeriodAnchor"] = "2024-01-07",
        ["Input.PaydayOffsetDays"] = paydayOffset,
        ["Input.WorkweekStart"] = "Sunday",
        ["Input.WeeklyCapHours"] = cap,
        ["Input.NearCapMarginHours"] = "2",
        ["Input.OvertimeEnabled"] = overtime,
        ["Input.UseRoundedTimes"] = "true",
        ["Input.Action"] = "save",
    };

    [Fact]
    public async Task SavedPaySettingsChangeTheCapOnTheOverview()
    {
        var (userId, client) = await app.SignedInAsync("settings-cap@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        using var saved = await client.SubmitAsync("/settings", PayForm("30"), "pay-settings");

        Assert.Equal("/settings?saved=pay", saved.RedirectPath());
        Assert.Contains("6.00 h left", TestIdText(await client.GetStringAsync("/"), "cap-status"), StringComparison.Ordinal);
        Assert.Contains("Your own settings.", await client.GetStringAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPaySettingsAreExplainedAndNotSaved()
    {
        var (_, client) = await app.SignedInAsync("settings-invalid@example.edu");

        using var response = await client.SubmitAsync("/settings", PayForm("200", paydayOffset: "99"), "pay-settings");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Payday must be 0 to 60 days after the pay period ends.", TestIdText(html, "pay-errors"), StringComparison.Ordinal);
        Assert.Contains("The weekly cap must be 0 (off) to 168 hours.", TestIdText(html, "pay-errors"), StringComparison.Ordinal);
        Assert.Contains("defaults; saving makes them yours", await client.GetStringAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARaisePaysShiftsFromItsDateOn()
    {
        var (userId, client) = await app.SignedInAsync("settings-raise@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        var library = (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None)).First(r => r.EmployeeId == 10234).Shift.JobId;

        using var added = await client.SubmitAsync("/settings", new Dictionary<string, string>
        {
            ["Input.JobId"] = library.ToString(CultureInfo.InvariantCulture),
            ["Input.EffectiveFrom"] = "2024-12-09",
            ["Input.HourlyRate"] = "20.00",
        }, "add-rate");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        // Sunday's 4 h stay at $14.20; Tuesday's 8 h are now $20: 56.80 + 160 + 180 (Dining).
        Assert.Equal("$396.80", TestIdText(await client.GetStringAsync("/"), "stat-week-pay"));
        var settings = await client.GetStringAsync("/settings");
        Assert.Equal(1, CountTestId(settings, "rate-row"));

        using var duplicate = await client.SubmitAsync("/settings", new Dictionary<string, string>
        {
            ["Input.JobId"] = library.ToString(CultureInfo.InvariantCulture),
            ["Input.EffectiveFrom"] = "2024-12-09",
            ["Input.HourlyRate"] = "21.00",
        }, "add-rate");
        Assert.Equal("That job already has a rate from 2024-12-09; remove it first.", TestIdText(await duplicate.Content.ReadAsStringAsync(), "rate-error"));
    }

    [Fact]
    public async Task ATokenIsShownOnceThenOnlyByItsStartAndCanBeRevoked()
    {
        var (_, client) = await app.SignedInAsync("settings-token@example.edu");

        using var created = await client.SubmitAsync("/settings", new Dictionary<string, string> { ["Input.Name"] = "spreadsheet" }, "create-token");
        var token = TestIdText(await created.Content.ReadAsStringAsync(), "token-value");
        Assert.StartsWith("ptk_", token, StringComparison.Ordinal);

        var later = await client.GetStringAsync("/settings");
        Assert.DoesNotContain(token, later, StringComparison.Ordinal);
        Assert.Contains(token[..12] + "…", later, StringComparison.Ordinal);

        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/shifts")).StatusCode);

        var tokenId = System.Text.RegularExpressions.Regex.Match(later, "name=\"TokenId\" value=\"(\\d+)\"").Groups[1].Value;
        using var revoked = await client.SubmitAsync("/settings", new Dictionary<string, string> { ["TokenId"] = tokenId }, "revoke-token");
        Assert.Equal("/settings?saved=token-revoked", revoked.RedirectPath());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/shifts")).StatusCode);
    }

    [Fact]
    public async Task TestConnectionSignsInToTheSiteAndListsTheJobsWithoutSaving()
    {
        var (userId, client) = await app.SignedInAsync("settings-kronos-test@example.edu");

        using var response = await client.SubmitAsync("/settings", KronosForm("ana.student", "demo", "test"), "kronos");

        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("Signed in to Kronos as ana.student. Jobs found:", TestIdText(html, "kronos-result"), StringComparison.Ordinal);
        Assert.Null(await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None));
    }

    [Fact]
    public async Task SavingAConnectionTestsItFirstAndNeverShowsThePasswordAgain()
    {
        var (userId, client) = await app.SignedInAsync("settings-kronos-save@example.edu");

        using var refused = await client.SubmitAsync("/settings", KronosForm("ana.student", "wrong-password", "save"), "kronos");
        Assert.Contains("Kronos did not accept this username and password", TestIdText(await refused.Content.ReadAsStringAsync(), "kronos-result"), StringComparison.Ordinal);
        Assert.Null(await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None));

        using var saved = await client.SubmitAsync("/settings", KronosForm("ana.student", "demo", "save"), "kronos");
        Assert.Equal("/settings?saved=kronos", saved.RedirectPath());
        var connection = await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None);
        Assert.NotNull(connection);
        Assert.NotEqual("demo", connection.ProtectedPassword);
        var page = await client.GetStringAsync("/settings");
        Assert.Contains("as <strong>ana.student</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(connection.ProtectedPassword, page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"demo\"", page, StringComparison.Ordinal);

        // Saving a working connection starts the user's full-history sync.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayTrackDbContext>>().CreateDbContextAsync();
        Assert.True(await db.JobRuns.AnyAsync(r => r.UserId == userId && r.Kind == PayTrack.Web.Data.JobKind.Catchup && r.Trigger == PayTrack.Web.Data.JobTrigger.User));
    }

    [Fact]
    public async Task DeletingTheAccountRemovesEveryRowOfTheUserAndNothingElse()
    {
        var keep = await app.CreateUserAsync("settings-keep@example.edu");
        await app.IngestAsync(keep, WorkedExample);
        var (userId, client) = await app.SignedInAsync("settings-delete@example.edu");
        await app.IngestAsync(userId, WorkedExample);
        (await client.SubmitAsync("/settings", PayForm("25"), "pay-settings")).Dispose();
        (await client.SubmitAsync("/settings", new Dictionary<string, string> { ["Input.Name"] = "to be deleted" }, "create-token")).Dispose();
        (await client.SubmitAsync("/settings", KronosForm("ana.student", "demo", "save"), "kronos")).Dispose();
        var keptBefore = await RowsOfAsync(keep);
        Assert.True((await RowsOfAsync(userId)).Count >= 6);

        using var wrong = await client.SubmitAsync("/settings", new Dictionary<string, string> { ["Input.Password"] = "not-my-password" }, "delete-account");
        Assert.Equal("That is not your password; nothing was deleted.", TestIdText(await wrong.Content.ReadAsStringAsync(), "delete-error"));
        Assert.NotEmpty(await RowsOfAsync(userId));

        using var deleted = await client.SubmitAsync("/settings", new Dictionary<string, string> { ["Input.Password"] = TimecardTestKit.Password }, "delete-account");

        Assert.Equal("/?deleted=1", deleted.RedirectPath());
        Assert.Empty(await RowsOfAsync(userId));
        Assert.Equal(keptBefore, await RowsOfAsync(keep));
        using var again = app.Browser();
        using var signIn = await again.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = "settings-delete@example.edu", ["Input.Password"] = TimecardTestKit.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    private Dictionary<string, string> KronosForm(string username, string password, string action) => new(StringComparer.Ordinal)
    {
        ["Input.BaseUrl"] = kronos.BaseUrl,
        ["Input.Username"] = username,
        ["Input.Password"] = password,
        ["Input.TimeZone"] = "America/New_York",
        ["Input.Action"] = action,
    };

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
