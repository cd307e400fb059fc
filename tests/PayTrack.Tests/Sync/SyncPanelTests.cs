using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayTrack.KronosSimulator;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Pages.Sync;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

/// <summary>The user's own side: the "Sync full history" endpoint and the panel the dashboard shows.</summary>
public sealed class SyncPanelTests(SyncFixture fixture) : IClassFixture<SyncFixture>
{
    [Fact]
    public async Task AUserStartsTheirOwnFullHistorySyncAndComesBackToThePageTheyWereOn()
    {
        fixture.Simulator.Reset();
        var userId = await fixture.ConnectedUserAsync("me@sync-panel.test", "user00061");
        var other = await fixture.ConnectedUserAsync("other@sync-panel.test", "user00062");
        using var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await client.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = "me@sync-panel.test", ["Input.Password"] = SyncTestKit.Password })).Dispose();
        var token = await client.AntiforgeryTokenAsync("/settings");

        using var missingToken = await client.PostAsync("/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));
        using var started = await client.PostAsync("/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = "/settings", ["userId"] = other,
        }));
        using var offsite = await client.PostAsync("/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = "https://evil.example/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, missingToken.StatusCode);
        Assert.Equal("/settings?notice=catchup-started", started.RedirectPath());
        // A return address off the site is refused before anything is queued.
        Assert.Equal("/?notice=bad-request", offsite.RedirectPath());
        var run = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, userId, SyncKind.Catchup)).Single();
        Assert.Equal(SyncTrigger.User, run.Trigger);
        Assert.Empty(await SyncTestKit.RunsOfAsync(fixture.ConnectionString, other, SyncKind.Catchup));
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, run.Id)).Status);
    }

    [Fact]
    public async Task ThePanelShowsALiveProgressBarWhileTheHistoryLoadsAndTheButtonOtherwise()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00063", new FaultOptions { LatencyMs = 400 });
        var syncing = await fixture.ConnectedUserAsync("busy@sync-panel.test", "user00063");
        var idle = await fixture.ConnectedUserAsync("idle@sync-panel.test", "user00064");
        var unconnected = await fixture.App.CreateUserAsync("new@sync-panel.test");
        var runId = (await fixture.App.Service<SyncRequests>().RequestCatchupAsync(syncing, SyncTrigger.User, null, CancellationToken.None)).Value!.Value;

        var busy = await RenderAsync(syncing, "/?notice=catchup-started");
        var ready = await RenderAsync(idle, "/");
        var none = await RenderAsync(unconnected, "/");

        Assert.Contains("data-live-runs", busy, StringComparison.Ordinal);
        Assert.Contains($"data-run-id=\"{runId}\"", busy, StringComparison.Ordinal);
        Assert.Contains("<progress", busy, StringComparison.Ordinal);
        Assert.DoesNotContain("Sync full history", busy, StringComparison.Ordinal);
        Assert.Contains("Full-history sync started. Its progress shows below.", busy, StringComparison.Ordinal);
        Assert.Contains("Sync full history", ready, StringComparison.Ordinal);
        Assert.Contains("Not synced yet.", ready, StringComparison.Ordinal);
        Assert.Contains("Connect your Kronos account in <a href=\"/settings\">Settings</a>", none, StringComparison.Ordinal);
        await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, runId);
    }

    [Fact]
    public async Task AUserSyncsTheirRecentPunchesNowForThemselvesOnlyAndNotTwiceAtOnce()
    {
        fixture.Simulator.Reset();
        // Slow enough that the second click lands while the first run is still going.
        fixture.Simulator.SetFaults("user00065", new FaultOptions { LatencyMs = 400 });
        var userId = await fixture.ConnectedUserAsync("now@sync-panel.test", "user00065");
        var other = await fixture.ConnectedUserAsync("now-other@sync-panel.test", "user00066");
        using var client = await fixture.SignedInAsync("now@sync-panel.test");
        var token = await client.AntiforgeryTokenAsync("/settings");

        using var missingToken = await client.PostAsync("/jobs/update", Form(("returnUrl", "/")));
        using var started = await client.PostAsync("/jobs/update", Form(("__RequestVerificationToken", token), ("returnUrl", "/settings"), ("userId", other)));
        using var again = await client.PostAsync("/jobs/update", Form(("__RequestVerificationToken", token), ("returnUrl", "/")));
        var whileRunning = await RenderAsync(userId, "/?notice=sync-now-already");

        Assert.Equal(HttpStatusCode.BadRequest, missingToken.StatusCode);
        Assert.Equal("/settings?notice=sync-now-started", started.RedirectPath());
        Assert.Equal("/?notice=sync-now-already", again.RedirectPath());
        Assert.Contains("A sync is already running for your account. Nothing more was started", whileRunning, StringComparison.Ordinal);
        Assert.Contains("Syncing your recent punches from Kronos", whileRunning, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sync-now\"", whileRunning, StringComparison.Ordinal);
        var run = (await SyncTestKit.RunsOfAsync(fixture.ConnectionString, userId, SyncKind.UpdatePunches)).Single();
        Assert.Equal((SyncTrigger.User, (long?)null), (run.Trigger, run.SweepId));
        Assert.Empty(await SyncTestKit.RunsOfAsync(fixture.ConnectionString, other, SyncKind.UpdatePunches));
        var done = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, run.Id);
        Assert.Equal(SyncStatus.Succeeded, done.Status);
        Assert.True(done.Fetched > 0, "the recent window holds punches");
        Assert.Equal((done.Fetched, done.Fetched), (done.NewCount, (await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, userId)).Count));
        Assert.Empty(await SyncTestKit.StoredPunchesAsync(fixture.ConnectionString, other));
        Assert.Contains("data-testid=\"sync-now\"", await RenderAsync(userId, "/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncNowIsRefusedInWordsWhileAFullHistorySyncRuns()
    {
        fixture.Simulator.Reset();
        fixture.Simulator.SetFaults("user00067", new FaultOptions { LatencyMs = 400 });
        var userId = await fixture.ConnectedUserAsync("full@sync-panel.test", "user00067");
        var requests = fixture.App.Service<SyncRequests>();
        var catchup = await requests.RequestCatchupAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var unconnected = await fixture.App.CreateUserAsync("none@sync-panel.test");

        var refused = await requests.RequestUpdateAsync(userId, SyncTrigger.User, null, CancellationToken.None);
        var nothing = await requests.RequestUpdateAsync(unconnected, SyncTrigger.User, null, CancellationToken.None);

        Assert.Equal((OutcomeKind.Busy, catchup.Value), (refused.Kind, refused.Value));
        Assert.Contains("A full-history sync is already under way for this account", refused.Message, StringComparison.Ordinal);
        Assert.Equal("sync-now-already", SyncExtensions.UpdateNotice(refused));
        Assert.Equal(OutcomeKind.NotFound, nothing.Kind);
        Assert.Empty(await SyncTestKit.RunsOfAsync(fixture.ConnectionString, userId, SyncKind.UpdatePunches));
        Assert.Empty(await SyncTestKit.RunsOfAsync(fixture.ConnectionString, unconnected, SyncKind.UpdatePunches));
        await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, catchup.Value!.Value);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private async Task<string> RenderAsync(string userId, string pathAndQuery)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        // The page's address, as the server sets it for a request: the panel reads its notice from the query string.
        ((IHostEnvironmentNavigationManager)scope.ServiceProvider.GetRequiredService<NavigationManager>())
            .Initialize("http://localhost/", "http://localhost" + pathAndQuery);
        // The panel's state as the dashboard reads it: in the overview's own round trip.
        var overview = await scope.ServiceProvider.GetRequiredService<OverviewQueries>()
            .LoadAsync(new DashboardSubject(userId, IsDemo: false, FixedToday: null), CancellationToken.None);
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<SyncPanel>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["State"] = overview.Sync }))).ToHtmlString());
    }
}
