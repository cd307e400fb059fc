using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Pages;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;

namespace PayTrack.BrowserTests;

[Collection(BrowserTestGroup.Name)]
public sealed class AdminSyncRunsTests(BrowserFixture fixture) : SimulatedKronosTests("ana.student", latencyMs: 120)
{
    [Fact]
    public async Task AnAdminStartsACatchupForAUserAndSeesItFinishWithoutAReload()
    {
        await fixture.CreateUserAsync("admin@browser-jobs.test", admin: true);
        var userId = await fixture.CreateUserAsync("ana@browser-jobs.test", admin: false);
        var problem = await fixture.Service<KronosConnections>().SaveAsync(userId, Kronos("ana.student", "demo"), CancellationToken.None);
        Assert.Equal(Outcome.Ok(), problem);
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await BrowserFixture.SignInAsync(page, "admin@browser-jobs.test");
        var admin = new AdminPage(page);

        await admin.OpenAsync("browser-jobs.test");
        await Assertions.Expect(admin.UserRow("ana@browser-jobs.test")).ToContainTextAsync("saved, not synced yet");
        await admin.RunCatchupAsync("ana@browser-jobs.test");

        await Assertions.Expect(admin.Notice).ToContainTextAsync("Catchup started.");
        await Assertions.Expect(page.GetByTestId("interactive")).ToHaveAttributeAsync("data-interactive", "true");
        // A mark on the window: it survives re-renders, not a reload.
        await page.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");
        // The run ends while the page stays where it is: its circuit re-reads the runs on every progress event.
        await Assertions.Expect(admin.UserRow("ana@browser-jobs.test")).ToContainTextAsync("working", new() { Timeout = 60_000 });
        await Assertions.Expect(admin.RunningNow).ToContainTextAsync("Nothing is running.", new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"), "the admin page was reloaded");
        Assert.EndsWith("#running", page.Url, StringComparison.Ordinal);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task ACatchupShowsTheSameProgressInEveryViewAndReachesTheEndWithoutAReload()
    {
        var userId = await fixture.CreateUserAsync("progress@browser-jobs.test", admin: true);
        Assert.Equal(Outcome.Ok(), await fixture.Service<KronosConnections>().SaveAsync(userId, Kronos("ana.student", "demo"), CancellationToken.None));

        await using var watched = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(watched.Page, "progress@browser-jobs.test");
        await Assertions.Expect(watched.Page.GetByTestId("sign-out")).ToHaveCountAsync(1);
        var views = new Dictionary<string, IPage>(StringComparer.Ordinal) { ["/"] = watched.Page };
        views["/settings"] = await watched.Page.Context.NewPageAsync();
        views["/admin"] = await watched.Page.Context.NewPageAsync();
        foreach (var (path, tab) in views)
        {
            await tab.GotoAsync(path);
            await Assertions.Expect(tab.GetByTestId("interactive")).ToHaveAttributeAsync("data-interactive", "true");
            await tab.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");
        }

        using (var scope = fixture.App.Services.CreateScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<PayTrack.Web.Sync.SyncRequests>().RequestCatchupAsync(
                userId, PayTrack.Web.Data.SyncTrigger.User, null, CancellationToken.None);
            Assert.True(started.Succeeded, started.Message);
        }

        // Every view shows the run's bar (the same total) while it runs; no bar ever goes back.
        var seen = views.Keys.ToDictionary(k => k, _ => new List<(int Value, int Max)>(), StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var finished = true;
            foreach (var (path, tab) in views)
            {
                var bar = await tab.EvaluateAsync<int[]>("() => { const p = document.querySelector('[data-run-id] progress'); return p ? [p.value, p.max] : []; }");
                if (bar.Length == 2)
                {
                    seen[path].Add((bar[0], bar[1]));
                    finished = false;
                }
            }

            if (finished && seen.Values.All(s => s.Count > 0))
            {
                break;
            }

            await watched.Page.WaitForTimeoutAsync(100);
        }

        foreach (var (path, samples) in seen)
        {
            Assert.True(samples.Count > 0, $"{path} never showed the run's progress");
            Assert.Equal(samples.Select(s => s.Value).Order(), samples.Select(s => s.Value));
        }

        Assert.Single(seen.Values.SelectMany(s => s).Select(s => s.Max).Where(m => m > 1).Distinct());

        // The end, in every view, with no reload: the dashboard's card says synced, settings counts the shifts, admin is idle.
        await Assertions.Expect(views["/"].GetByTestId("sync-panel")).ToContainTextAsync("Last synced just now", new() { Timeout = 30_000 });
        await Assertions.Expect(views["/settings"].GetByTestId("timecard-summary")).ToContainTextAsync("Your timecard holds", new() { Timeout = 30_000 });
        await Assertions.Expect(new AdminPage(views["/admin"]).RunningNow).ToContainTextAsync("Nothing is running.", new() { Timeout = 30_000 });
        foreach (var (path, tab) in views)
        {
            await Assertions.Expect(tab.Locator("[data-run-id] progress")).ToHaveCountAsync(0);
            Assert.True(await tab.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"), $"{path} was reloaded");
        }

        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AUserClicksSyncNowAndTheirPanelSaysSyncedWithoutAReload()
    {
        var userId = await fixture.CreateUserAsync("now@browser-jobs.test", admin: false);
        Assert.Equal(Outcome.Ok(), await fixture.Service<KronosConnections>().SaveAsync(userId, Kronos("ana.student", "demo"), CancellationToken.None));
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await BrowserFixture.SignInAsync(page, "now@browser-jobs.test");
        await page.GotoAsync("/");
        var panel = page.GetByTestId("sync-panel");
        await Assertions.Expect(panel).ToContainTextAsync("Not synced yet.");

        await panel.GetByRole(AriaRole.Button, new() { Name = "Sync now", Exact = true }).ClickAsync();

        await Assertions.Expect(panel.Locator(".notice")).ToContainTextAsync("Sync started: PayTrack is reading your recent punches from Kronos.");
        await Assertions.Expect(page.GetByTestId("interactive")).ToHaveAttributeAsync("data-interactive", "true");
        await page.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");
        // The run ends while the page stays put: its end reaches the page's circuit, which re-reads the panel.
        await Assertions.Expect(panel).ToContainTextAsync("Last synced just now", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("sync-now-running")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(panel.GetByTestId("sync-now")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"), "the dashboard was reloaded");
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AUserWhoIsNotAnAdminCannotReachTheAdminPages()
    {
        await fixture.CreateUserAsync("plain@browser-jobs.test", admin: false);
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await BrowserFixture.SignInAsync(page, "plain@browser-jobs.test");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/admin", "/admin/jobs" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("admin-users")).ToHaveCountAsync(0);
        }
    }
}
