using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;

namespace PayTrack.Tests.Foundation;

public sealed class HostTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    [Fact]
    public async Task ReadyWhenTheDatabaseIsReachableAndMigrated()
    {
        using var client = app.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PayTrackDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task UnknownPagesGetA404PageThatRevealsNothing()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/work/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPageCarriesAStrictContentSecurityPolicy()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/");
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task BrowserLibrariesAreServedFromTheBuild()
    {
        using var client = app.CreateClient();
        foreach (var path in new[] { "/lib/htmx/htmx.min.js", "/lib/apexcharts/apexcharts.min.js", "/lib/apexcharts/apexcharts.css", "/js/app.js", "/css/app.css" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
        }
    }
}
