using System.Net;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Sync;

namespace PayTrack.Tests.Dashboard;

/// <summary>Query values a page cannot read get the page with a message in plain words, never a 500.</summary>
public sealed class PageQueryValuesTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    [Theory]
    [InlineData("/settings?import=x", "That import is not one PayTrack knows.")]
    [InlineData("/settings?import=-1", "That import is not one PayTrack knows.")]
    [InlineData("/settings?import=99999999999999999999", "That import is not one PayTrack knows.")]
    [InlineData("/admin?page=x", "That page number is not one PayTrack knows; showing the first page.")]
    [InlineData("/admin?page=-3", "That page number is not one PayTrack knows; showing the first page.")]
    [InlineData("/admin?q=a%00b", "The search holds a character PayTrack cannot search for; showing every user.")]
    [InlineData("/admin/jobs?sweep=x", "That update-punches run number is not one PayTrack knows; showing every run.")]
    [InlineData("/admin/jobs?before=x", "That run number is not one PayTrack knows; showing the newest runs.")]
    [InlineData("/admin/jobs?user=%00", "The user filter holds a character PayTrack cannot search for; showing every user.")]
    [InlineData("/shifts?from=x&job=%00", "From must be a date such as 2025-01-05; it was ignored.")]
    [InlineData("/charts?date=%00&year=x&span=%00", "Charts")]
    public async Task AnUnreadableQueryValueGetsThePageWithAMessage(string path, string message)
    {
        var client = await AdminAsync();

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, html, StringComparison.Ordinal);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var email = $"query-admin-{Guid.NewGuid():N}@example.edu";
        await app.CreateUserAsync(email, admin: true);
        var client = app.Browser();
        using var response = await client.SubmitAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = SyncTestKit.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
