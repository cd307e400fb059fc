using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
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
    public async Task AStatementRunAgainIsPreparedOnItsConnection()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM jobs WHERE user_id = @user", connection);
            command.Parameters.AddWithValue("user", "no-such-user");
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM jobs WHERE user_id = $1%'", connection);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
    }

    [Fact]
    public void AConnectionStringsOwnPreparingSettingIsKept()
    {
        var own = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=paytrack;Max Auto Prepare=0"));
        var ours = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=paytrack"));
        Assert.Equal((0, 128), (own.MaxAutoPrepare, ours.MaxAutoPrepare));

        // Only the threshold given: preparing stays on, with the operator's threshold.
        var threshold = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=paytrack;Auto Prepare Min Usages=5"));
        Assert.Equal((128, 5), (threshold.MaxAutoPrepare, threshold.AutoPrepareMinUsages));

        // A pooled connection is not reset on its way back, unless the operator asks for it.
        Assert.True(ours.NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=paytrack;No Reset On Close=false")).NoResetOnClose);
    }

    [Fact]
    public async Task AConnectionBackFromTheCatchupLockCarriesNoLock()
    {
        // The pool does not reset connections (WithPoolDefaults): each session lock is released before its connection
        // goes back, so the next user of the same pooled connection holds nothing.
        var locks = app.Services.GetRequiredService<PayTrack.Web.Sync.CatchupLock>();
        await using (var held = await locks.TryAcquireAsync("no-such-user", CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.True(await locks.IsHeldAsync("no-such-user", CancellationToken.None));
        }

        Assert.False(await locks.IsHeldAsync("no-such-user", CancellationToken.None));
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var mine = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", connection);
        Assert.Equal(0L, await mine.ExecuteScalarAsync());
    }

    [Fact]
    public void TheHostRunsTheServerGcWithAHeapPerCoreNotDatas()
    {
        // What `dotnet PayTrack.Web.dll` (the image, the real-process tests) reads at start (decision 0038).
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PayTrack.Web.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
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
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "script-src 'self' 'nonce-([^']+)';").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        // The only inline script is Blazor's import map (data, not code), and it carries the response's nonce.
        var inline = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value).ToList();
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
        Assert.All(inline, tag => Assert.Contains("type=\"importmap\"", tag, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BrowserLibrariesAreServedFromTheBuild()
    {
        using var client = app.CreateClient();
        foreach (var path in new[] { "/_framework/blazor.web.js", "/lib/apexcharts/apexcharts.esm.js", "/lib/apexcharts/apexcharts.css", "/js/app.js", "/js/charts.js", "/css/app.css" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
        }
    }
}
