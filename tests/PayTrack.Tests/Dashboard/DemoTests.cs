using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Components;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Dashboard;

public sealed class DemoTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    [Fact]
    public async Task AVisitorSeesTheDemoDashboardLabelledAsDemoData()
    {
        using var visitor = app.Browser();
        var demoId = await app.Services.GetRequiredService<DemoAccount>().UserIdAsync(CancellationToken.None);
        Assert.NotNull(demoId);
        var today = new DemoOptions().Today;
        var week = await app.Service<SummaryQueries>().SummarizeAsync(new DashboardSubject(demoId, true, today),
            new PayCalculator(new PayOptions(), PayRateTable.Empty).Calendar.WorkweekContaining(today), CancellationToken.None);

        var html = await visitor.GetStringAsync("/");

        Assert.Contains("Demo data.", TestIdText(html, "demo-banner"), StringComparison.Ordinal);
        Assert.Contains("href=\"/account/register\"", html, StringComparison.Ordinal);
        Assert.Contains("As of Wednesday, December 11, 2024", html, StringComparison.Ordinal);
        Assert.True(week.Totals.Minutes > 0, "the demo's week has hours");
        Assert.Equal(Format.Hours(week.Totals.Hours), TestIdText(html, "stat-week-hours"));
        Assert.Equal(Format.Money(week.Totals.GrossPay), TestIdText(html, "stat-week-pay"));
        Assert.Contains("data-chart-id=\"week-days\" data-chart-spec=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedingAgainChangesNothing()
    {
        var demo = app.Services.GetRequiredService<DemoAccount>();
        var demoId = (await demo.UserIdAsync(CancellationToken.None))!;
        var before = await TimecardTestKit.SnapshotAsync(app.ConnectionString);

        await demo.SeedAsync(CancellationToken.None);

        Assert.Equal(before, await TimecardTestKit.SnapshotAsync(app.ConnectionString));
        Assert.True(await TimecardTestKit.CountAsync(app.ConnectionString, "SELECT count(*) FROM shifts WHERE user_id = @user", demoId) > 400);
    }

    [Fact]
    public async Task NobodyCanSignInAsTheDemoAccount()
    {
        using var visitor = app.Browser();

        foreach (var password in new[] { "", "demo", TimecardTestKit.Password })
        {
            using var response = await visitor.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = new DemoOptions().Email, ["Input.Password"] = password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var settings = await visitor.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        using var api = await visitor.GetAsync("/api/shifts");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task ASignedInUserSeesTheirOwnDashboardNotTheDemo()
    {
        var (_, client) = await app.SignedInAsync("demo-not-mine@example.edu");

        var html = await client.GetStringAsync("/");

        Assert.DoesNotContain("demo-banner", html, StringComparison.Ordinal);
        Assert.Contains("dashboard-empty", html, StringComparison.Ordinal);
    }
}

public sealed class DemoOffTests(DemoOffTests.DemoOffFactory app) : IClassFixture<DemoOffTests.DemoOffFactory>
{
    public sealed class DemoOffFactory : PayTrackAppFactory
    {
        public DemoOffFactory() => WithSetting("PayTrack:Demo:Enabled", "false");
    }

    [Fact]
    public async Task WithoutTheDemoAVisitorIsInvitedToSignIn()
    {
        using var visitor = app.Browser();

        var html = await visitor.GetStringAsync("/");

        Assert.DoesNotContain("demo-banner", html, StringComparison.Ordinal);
        Assert.Contains("Create an account", html, StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<DemoAccount>().UserIdAsync(CancellationToken.None));
    }
}
