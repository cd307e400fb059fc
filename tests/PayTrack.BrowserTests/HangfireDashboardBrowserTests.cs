using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using PayTrack.BrowserTests.Pages;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;
using PayTrack.Web.Sync;

namespace PayTrack.BrowserTests;

/// <summary>The Hangfire Dashboard in Chromium: the design card's "trigger catchup per user", for administrators only.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class HangfireDashboardBrowserTests(BrowserFixture fixture) : SimulatedKronosTests("user00071", latencyMs: 60)
{
    [Fact]
    public async Task AnAdminTriggersAUsersCatchupFromTheDashboardAndItsProgressInPayTrackReachesTheEnd()
    {
        await fixture.CreateUserAsync("admin@browser-hangfire.test", admin: true);
        var userId = await fixture.CreateUserAsync("dora@browser-hangfire.test", admin: false);
        using (var scope = fixture.App.Services.CreateScope())
        {
            Assert.Equal(Outcome.Ok(), await scope.ServiceProvider.GetRequiredService<KronosConnections>().SaveAsync(userId, Kronos("user00071", "user00071"), CancellationToken.None));
            // What saving a connection in Settings adds, without its catchup: the dashboard is to start this one.
            await scope.ServiceProvider.GetRequiredService<CatchupEntries>().AddAsync(userId, CancellationToken.None);
        }

        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await BrowserFixture.SignInAsync(page, "admin@browser-hangfire.test");
        var admin = new AdminPage(page);
        await admin.OpenAsync();
        // The dashboard's first page may take its time on a cold node.
        await page.GetByTestId("hangfire-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Dashboard(), new() { Timeout = 20_000 });
        // The dashboard itself has loaded (no navigation still under way that the next one would cut short).
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

        // Other tests' users have entries too: one page of up to 500 (the pager's own count parameter).
        await page.GotoAsync("/hangfire/recurring?from=0&count=500");
        var row = page.Locator("tr", new() { HasText = "catchup:dora@browser-hangfire.test" });
        if (await row.CountAsync() != 1)
        {
            var stored = await PollAsync("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'catchup:dora@browser-hangfire.test'", userId, _ => true);
            Assert.Fail($"The entry is stored {stored} time(s); the page at {page.Url} reads: {await page.Locator("body").InnerTextAsync()}");
        }

        await row.Locator("input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();

        // The run PayTrack records for it reaches the end, and PayTrack's admin page says so.
        var runId = await PollAsync("SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id = @u AND kind = 'catchup' AND trigger = 'dashboard'", userId, v => v > 0);
        await PollAsync("SELECT CASE WHEN status = 'succeeded' AND steps_done = steps_total AND steps_total > 0 THEN 1 ELSE 0 END FROM job_runs WHERE id = " + runId, userId, v => v == 1);
        await admin.OpenAsync("browser-hangfire.test");
        await Assertions.Expect(admin.UserRow("dora@browser-hangfire.test")).ToContainTextAsync("working", new() { Timeout = 30_000 });

        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/succeeded", "/hangfire/servers", "/hangfire/recurring" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
        }

        watched.AssertNoProblems();
    }

    [Fact]
    public async Task ANonAdminIsRefusedTheDashboardAndPayTracksOwnPagesKeepTheStrictPolicy()
    {
        await fixture.CreateUserAsync("plain@browser-hangfire.test", admin: false);
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await BrowserFixture.SignInAsync(page, "plain@browser-hangfire.test");

        watched.AssertNoProblems();
        var refused = await page.GotoAsync("/hangfire");
        Assert.Equal(403, refused!.Status);
        // Chromium reports the refused page itself as a resource that failed to load; nothing else may appear.
        Assert.All(watched.Problems, p => Assert.Contains("status of 403", p, StringComparison.Ordinal));
        var reported = watched.Problems.Count;
        var home = await page.GotoAsync("/");
        var csp = await home!.HeaderValueAsync("content-security-policy");
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal(reported, watched.Problems.Count);
    }

    private async Task<long> PollAsync(string sql, string userId, Func<long, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("u", userId);
            var value = Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {sql} (last {value})");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex("/hangfire/?$", RegexOptions.None, 1000)]
    private static partial Regex Dashboard();
}
