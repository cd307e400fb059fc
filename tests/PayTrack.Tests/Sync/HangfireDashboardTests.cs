using System.Net;
using Hangfire;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class HangfireDashboardTests(SyncFixture fixture) : IClassFixture<SyncFixture>
{
    [Fact]
    public async Task OnlyAdminsReachTheDashboardWhichHasItsOwnStylePolicyAndNeverShowsTheConnectionString()
    {
        await fixture.App.CreateUserAsync("boss@hangfire.test", admin: true);
        await fixture.App.CreateUserAsync("plain@hangfire.test");

        using var anonymous = await fixture.App.Browser().GetAsync("/hangfire");
        Assert.StartsWith("/account/login", anonymous.RedirectPath(), StringComparison.Ordinal);

        using var plain = await fixture.SignedInAsync("plain@hangfire.test");
        using var refused = await plain.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var admin = await fixture.SignedInAsync("boss@hangfire.test");
        using var dashboard = await admin.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var csp = dashboard.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(UpdatePunchesJobs.RecurringId, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Host=", html, StringComparison.OrdinalIgnoreCase);

        // PayTrack's own pages keep the strict policy: styles by nonce only.
        using var home = await admin.GetAsync("/admin");
        // (Blazor adds a second policy, frame-ancestors only, to its interactive pages.)
        var strict = home.Headers.GetValues("Content-Security-Policy").Single(p => p.Contains("default-src", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", strict, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'nonce-", strict, StringComparison.Ordinal);
        Assert.Contains("href=\"/hangfire\"", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingAConnectionAddsATriggerNowEntryThatRunsTheUsersCatchupAndTheEntryGoesWithTheAccount()
    {
        fixture.Simulator.Reset();
        var userId = await fixture.ConnectedUserAsync("trigger@hangfire.test", "user00061");
        var saved = await fixture.App.Service<SyncRequests>().ConnectionSavedAsync(userId, SyncTrigger.User, CancellationToken.None);
        Assert.Equal(OutcomeKind.Done, saved.Kind);
        Assert.Equal(SyncStatus.Succeeded, (await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, saved.Value!.Value)).Status);
        var entry = CatchupEntries.Id("trigger@hangfire.test");
        Assert.Equal(1L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = @v", ("v", entry)));

        // What "Trigger now" on the Recurring Jobs page does.
        fixture.App.Service<IRecurringJobManager>().Trigger(entry);
        var triggered = await SyncTestKit.PollAsync<long>(fixture.ConnectionString,
            "SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id = @u AND kind = 'catchup' AND trigger = 'dashboard'", id => id > 0, "the triggered catchup", parameters: ("u", userId));
        var run = await SyncTestKit.WaitForRunAsync(fixture.ConnectionString, triggered);
        Assert.Equal((SyncStatus.Succeeded, run.StepsTotal), (run.Status, run.StepsDone));
        // Its Hangfire job page shows the progress too.
        Assert.StartsWith("\"Done: ", await SyncTestKit.PollAsync<string>(fixture.ConnectionString,
            "SELECT coalesce(max(value), '') FROM hangfire.jobparameter WHERE name = 'progress' AND value LIKE '%Done:%'", v => v.Length > 0, "the job's progress parameter"),
            StringComparison.Ordinal);

        Assert.True(await fixture.App.Service<AccountDeletion>().DeleteAsync(userId, CancellationToken.None) > 0);
        Assert.Equal(0L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = @v", ("v", entry)));
    }

    [Fact]
    public async Task ACatchupRequestWithABadReturnAddressQueuesNothing()
    {
        var userId = await fixture.ConnectedUserAsync("bad-return@hangfire.test", "user00062");
        using var client = await fixture.SignedInAsync("bad-return@hangfire.test");
        var token = await client.AntiforgeryTokenAsync("/settings");
        var jobsBefore = await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.job");

        foreach (var bad in new[] { "https://evil.example/", "//evil.example", "/\\evil" })
        {
            using var response = await client.PostAsync("/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = bad, ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/?notice=bad-request", response.RedirectPath());
        }

        using (var unreadable = await client.PostAsync("/jobs/catchup", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/x\0y", ["__RequestVerificationToken"] = token })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
            Assert.DoesNotContain("Exception", await unreadable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A body that is not a form at all (the antiforgery token in its header): the same answer, not a 500.
        using (var notAForm = new HttpRequestMessage(HttpMethod.Post, "/jobs/catchup") { Content = new StringContent("{\"returnUrl\":\"/\"}", System.Text.Encoding.UTF8, "application/json") })
        {
            notAForm.Headers.Add("X-CSRF-TOKEN", token);
            using var response = await client.SendAsync(notAForm);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, response.StatusCode.ToString());
            Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0L, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM job_runs WHERE user_id = @u", ("u", userId)));
        Assert.Equal(jobsBefore, await SyncTestKit.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.job"));
        Assert.Equal("That request did not come from a PayTrack page, so nothing was started.", SyncText.Notice("bad-request", forAdmin: false));
    }
}
