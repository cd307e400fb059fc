using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Notion;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Notion;

public sealed class NotionConnectTests(NotionFixture fixture) : IClassFixture<NotionFixture>
{
    [Fact]
    public async Task ConnectExplainsABadTokenAPageNotSharedAndAWrongIdAndSavesNothing()
    {
        var (userId, _) = await fixture.App.SignedInAsync("bad-connect@notion.test");
        var (token, pageId) = await fixture.NewIntegrationAsync();
        var connections = fixture.Service<NotionConnections>();

        var badToken = await connections.ConnectAsync(userId, new NotionConnectionInput("ntn_not_a_real_token", pageId, fixture.ApiRoot), CancellationToken.None);
        var notShared = await connections.ConnectAsync(userId, new NotionConnectionInput(token, Guid.NewGuid().ToString("N"), fixture.ApiRoot), CancellationToken.None);
        var wrongId = await connections.ConnectAsync(userId, new NotionConnectionInput(token, "my page", fixture.ApiRoot), CancellationToken.None);

        Assert.StartsWith("Notion did not accept the integration token", badToken.Message, StringComparison.Ordinal);
        Assert.StartsWith("Notion says the page does not exist or is not shared with the integration.", notShared.Message, StringComparison.Ordinal);
        Assert.StartsWith("That is not a Notion page id.", wrongId.Message, StringComparison.Ordinal);
        Assert.All([badToken, notShared, wrongId], o => Assert.False(o.Succeeded));
        Assert.Null(await fixture.ConnectionAsync(userId));
    }

    [Fact]
    public async Task APageLinkIsAcceptedAndConnectingAgainAdoptsTheDatabasesWithoutDuplicates()
    {
        var user = await fixture.DemoUserAsync("adopt@notion.test");
        Assert.True((await fixture.SyncAsync(user.UserId)).Succeeded);
        var before = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        var connections = fixture.Service<NotionConnections>();
        Assert.True((await connections.DisconnectAsync(user.UserId, CancellationToken.None)).Succeeded);

        var link = "https://www.notion.so/My-PayTrack-" + user.PageId.Replace("-", "", StringComparison.Ordinal) + "?pvs=4";
        var again = await connections.ConnectAsync(user.UserId, new NotionConnectionInput(user.Token, link, fixture.ApiRoot), CancellationToken.None);
        var result = await fixture.SyncAsync(user.UserId);

        Assert.Equal("Connected to Notion and found PayTrack's databases under the page.", again.Message);
        var connection = (await fixture.ConnectionAsync(user.UserId))!;
        Assert.Equal((user.Connection.ShiftsDataSourceId, user.Connection.WeeksDataSourceId), (connection.ShiftsDataSourceId, connection.WeeksDataSourceId));
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(0, result.Value!.Created);
        var after = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        Assert.Equal(before.Select(p => p["id"]!.GetValue<string>()).Order(), after.Select(p => p["id"]!.GetValue<string>()).Order());
        Assert.All(after, p => Assert.False(p.Trashed()));
    }

    [Fact]
    public async Task ANotionRootOnALoopbackAddressIsRefusedUnlessTheSettingAllowsItAndNothingIsSent()
    {
        var (token, pageId) = await fixture.NewIntegrationAsync();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PayTrack:Notion:MaxAttempts"] = "1",
            ["PayTrack:Notion:SyncAfterChanges"] = "false",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddNotion();
        await using var app = builder.Build();
        var client = app.Services.GetRequiredService<NotionClient>();

        var refused = await client.RetrievePageAsync(new NotionSession(fixture.ApiRoot, token), pageId, CancellationToken.None);

        Assert.False(new NotionOptions().AllowPrivateAddresses);
        Assert.False(refused.Succeeded);
        Assert.Empty(await fixture.RequestsAsync(token));
    }

    [Fact]
    public async Task TheTokenNeverAppearsInALogPageOrExport()
    {
        var (userId, browser) = await fixture.App.SignedInAsync("secret@notion.test");
        await fixture.App.ImportSeedBackupAsync(userId);
        var (token, pageId) = await fixture.NewIntegrationAsync();

        var notion = fixture.Service<NotionConnections>();
        var connected = await notion.ConnectAsync(userId, new NotionConnectionInput(token, pageId, fixture.ApiRoot), CancellationToken.None);
        Assert.True(connected.Succeeded, connected.Message);
        Assert.True((await fixture.SyncAsync(userId)).Succeeded);
        var refused = await notion.ConnectAsync(userId, new NotionConnectionInput(token + "x", pageId, fixture.ApiRoot), CancellationToken.None);
        await fixture.RevokeAsync(token);
        var stopped = await fixture.SyncAsync(userId);
        await fixture.Service<ManualShifts>().AddAsync(userId, new ManualShiftRequest(
            await fixture.ScalarAsync<long>("SELECT min(id) FROM jobs WHERE user_id = $1", userId),
            new DateTimeOffset(2024, 4, 6, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 4, 6, 16, 0, 0, TimeSpan.Zero), null), CancellationToken.None);
        var failed = await fixture.SyncAsync(userId);

        var settings = await browser.GetStringAsync("/settings");
        var dashboard = await browser.GetStringAsync("/");
                using var backup = new MemoryStream();
        await fixture.Service<BackupExport>().ExportAsync(userId, backup, null, null, CancellationToken.None);
        using var csv = new MemoryStream();
        await fixture.Service<CsvExport>().ExportAsync(userId, csv, null, null, CancellationToken.None);
        var stored = await fixture.ScalarAsync<string>("SELECT protected_token FROM notion_connections WHERE user_id = $1", userId);

        Assert.Contains("It needs your attention: Notion no longer accepts the saved integration token", settings, StringComparison.Ordinal);
        Assert.Contains("Your Notion connection needs attention", dashboard, StringComparison.Ordinal);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Notion", StringComparison.Ordinal) && l.Contains("/v1/pages", StringComparison.Ordinal) && l.Contains(": 200", StringComparison.Ordinal));
        var everything = new[]
        {
            refused.Message, stopped.Message, failed.Message, settings, dashboard,
            Encoding.UTF8.GetString(backup.ToArray()), Encoding.UTF8.GetString(csv.ToArray()), stored,
            string.Join('\n', fixture.App.Logs.Lines),
        };
        Assert.All(everything, text => Assert.DoesNotContain(token, text, StringComparison.Ordinal));
        Assert.All(everything, text => Assert.DoesNotContain(token[4..20], text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheNotionCommandsConnectAndSyncInTheForeground()
    {
        var (userId, _) = await fixture.App.SignedInAsync("cli@notion.test");
        await fixture.App.ImportSeedBackupAsync(userId);
        var (token, pageId) = await fixture.NewIntegrationAsync();
        var environment = Environment();

        var (connectCode, connectOutput) = await PayTrackProcess.RunAsync(["notion", "connect", "--user", "cli@notion.test", "--parent", pageId, "--base-url", fixture.ApiRoot], environment, token + "\n");
        var (syncCode, syncOutput) = await PayTrackProcess.RunAsync(["notion", "sync", "--user", "cli@notion.test"], environment);
        var (againCode, againOutput) = await PayTrackProcess.RunAsync(["notion", "sync", "--user", "cli@notion.test"], environment);
        var (offCode, offOutput) = await PayTrackProcess.RunAsync(["notion", "disconnect", "--user", "cli@notion.test"], environment);

        Assert.True(connectCode == 0, connectOutput);
        Assert.Contains("Connected to Notion and created \"PayTrack shifts\" and \"PayTrack weeks\" under the page.", connectOutput, StringComparison.Ordinal);
        Assert.True(syncCode == 0, syncOutput);
        Assert.Contains("Notion is up to date. PayTrack created", syncOutput, StringComparison.Ordinal);
        Assert.True(againCode == 0, againOutput);
        Assert.Contains("Notion was already up to date; nothing was sent.", againOutput, StringComparison.Ordinal);
        Assert.Equal(0, offCode);
        Assert.Contains("Disconnected Notion from cli@notion.test; the token is deleted.", offOutput, StringComparison.Ordinal);
        Assert.Null(await fixture.ConnectionAsync(userId));
        Assert.All([connectOutput, syncOutput, againOutput, offOutput], o => Assert.DoesNotContain(token, o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACrashBetweenACreateAndItsRecordLeavesNoDuplicate()
    {
        var user = await fixture.DemoUserAsync("crash@notion.test");
        var email = "crash@notion.test";
        // The first page create lands in Notion, and its answer is held until the process is killed.
        await fixture.FaultAsync(new { token = user.Token, method = "POST", path_contains = "/v1/pages", status = 502, code = "bad_gateway", after_processing = true, hold_ms = 120_000, count = 1 });
        await using (var process = PayTrackProcess.Start(["notion", "sync", "--user", email], Environment(), 0))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await fixture.PagesAsync(user.Connection.ShiftsDataSourceId)).Count + (await fixture.PagesAsync(user.Connection.WeeksDataSourceId)).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "The held create never landed: " + process.Output);
                await Task.Delay(50);
            }

            process.KillHard();
        }

        var unrecorded = await fixture.ScalarAsync<long>("SELECT count(*) FROM notion_pages WHERE user_id = $1 AND notion_page_id IS NULL", user.UserId);
        var result = await fixture.SyncAsync(user.UserId);

        Assert.True(unrecorded >= 1, "the kill left no create unrecorded");
        Assert.True(result.Succeeded, result.Message);
        var shifts = await fixture.PagesAsync(user.Connection.ShiftsDataSourceId);
        var weeks = await fixture.PagesAsync(user.Connection.WeeksDataSourceId);
        Assert.All(shifts.Concat(weeks), p => Assert.False(p.Trashed()));
        Assert.Equal(shifts.Count, shifts.Select(p => p.PayTrackId()).Distinct().Count());
        Assert.Equal(weeks.Count, weeks.Select(p => p.PayTrackId()).Distinct().Count());
        Assert.Equal(await fixture.ScalarAsync<long>("SELECT count(*) FROM shifts WHERE user_id = $1", user.UserId), shifts.Count);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notion_pages WHERE user_id = $1 AND notion_page_id IS NULL", user.UserId));
    }

    private Dictionary<string, string?> Environment()
    {
        var environment = NotionFixture.FastSettings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value, StringComparer.Ordinal);
        environment["ConnectionStrings__PayTrack"] = fixture.App.ConnectionString;
        environment["Logging__LogLevel__Default"] = "Warning";
        return environment;
    }
}
