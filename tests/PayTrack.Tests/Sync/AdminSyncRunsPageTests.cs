using System.Net;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class AdminSyncRunsPageTests(SyncFixture fixture) : IClassFixture<SyncFixture>
{
    [Fact]
    public async Task AUserWhoIsNotAnAdminCannotReachTheAdminPagesOrTheirButtons()
    {
        var userId = await fixture.ConnectedUserAsync("plain@admin-pages.test", "user00051");
        using var client = await fixture.SignedInAsync("plain@admin-pages.test");
        var token = await client.AntiforgeryTokenAsync("/settings");

        foreach (var page in new[] { "/admin", "/admin/jobs", "/admin/jobs?kind=update" })
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("data-testid=\"admin-users\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"run-history\"", html, StringComparison.Ordinal);
        }

        using var catchup = await client.PostAsync("/admin/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = userId, ["__RequestVerificationToken"] = token }));
        using var update = await client.PostAsync("/admin/jobs/update-punches", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (catchup.StatusCode, update.StatusCode));
        Assert.Equal(0L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM job_runs WHERE user_id = @u", ("u", userId)));

        using var anonymous = await fixture.App.Browser().GetAsync("/admin");
        Assert.StartsWith("/account/login", anonymous.RedirectPath(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminSeesEachUsersConnectionRunsTheirCatchupAndFindsItInTheHistory()
    {
        fixture.Simulator.Reset();
        await fixture.App.CreateUserAsync("boss@admin-pages.test", admin: true);
        var userId = await fixture.ConnectedUserAsync("worker@admin-pages.test", "user00052");
        var rejected = await fixture.ConnectedUserAsync("locked@admin-pages.test", "user00053", password: "wrong");
        await fixture.App.Service<SyncRequests>().RequestCatchupAsync(rejected, SyncTrigger.User, null, CancellationToken.None);
        await SyncTestKit.PollAsync<string>(fixture.ConnectionString, "SELECT status FROM kronos_connections WHERE user_id = @u", s => s == "credentials_rejected", "the rejection", parameters: ("u", rejected));
        using var client = await fixture.SignedInAsync("boss@admin-pages.test");

        var page = await client.GetStringAsync("/admin?q=admin-pages.test");
        Assert.Matches("worker@admin-pages.test</td>.*saved, not synced yet.*Run catchup", Flat(page));
        Assert.Matches("locked@admin-pages.test</td>.*password rejected.*Kronos did not accept this username and password", Flat(page));
        Assert.DoesNotMatch("locked@admin-pages.test</td>[^/]*Run catchup", Flat(page));

        using var started = await client.SubmitAsync("/admin", new Dictionary<string, string>(), formSelectorHandler: userId);
        Assert.Equal("/admin?notice=catchup-started#running", started.RedirectPath());
        var runId = await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT id FROM job_runs WHERE user_id = @u AND kind = 'catchup'", ("u", userId));
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, runId)).Status);
        Assert.Contains("Catchup started.", await client.GetStringAsync("/admin?notice=catchup-started"), StringComparison.Ordinal);

        var history = Flat(await client.GetStringAsync("/admin/jobs?kind=catchup&user=worker%40admin-pages"));
        Assert.Matches($"history-run-{runId}\".*worker@admin-pages.test.*admin \\(boss@admin-pages.test\\).*Succeeded.*fetched", history);
        Assert.DoesNotContain("locked@admin-pages.test", history, StringComparison.Ordinal);
        var failed = Flat(await client.GetStringAsync("/admin/jobs?status=failed"));
        Assert.Contains("locked@admin-pages.test", failed, StringComparison.Ordinal);
        Assert.DoesNotContain($"history-run-{runId}\"", failed, StringComparison.Ordinal);
        Assert.Matches("worker@admin-pages.test</td>.*working", Flat(await client.GetStringAsync("/admin?q=worker")));
    }

    private static string Flat(string html) => html.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);
}
