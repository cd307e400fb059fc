using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using PayTrack.KronosSimulator;
using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

public sealed class LoginPageSiteFixture : SimulatorFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Simulator:ExpiredSession", "LoginPage")];
}

public sealed class RedirectSiteFixture : SimulatorFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Simulator:ExpiredSession", "Redirect")];
}

/// <summary>A session that expires in the middle of a run, answered as a 401 (the default site).</summary>
public sealed class SessionExpiresAs401Tests(SimulatorFixture site) : SessionExpiryTests(site), IClassFixture<SimulatorFixture>;

/// <summary>... answered as the site's HTML login page in a 200.</summary>
public sealed class SessionExpiresAsLoginPageTests(LoginPageSiteFixture site) : SessionExpiryTests(site), IClassFixture<LoginPageSiteFixture>;

/// <summary>... answered as a 302 to the login page.</summary>
public sealed class SessionExpiresAsRedirectTests(RedirectSiteFixture site) : SessionExpiryTests(site), IClassFixture<RedirectSiteFixture>;

public abstract class SessionExpiryTests
{
    private readonly SimulatorFixture _site;

    protected SessionExpiryTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Fact]
    public async Task ASessionThatExpiresMidRunSignsInAgainOnceAndEndsWithTheTruth()
    {
        _site.SetFaults(new FaultOptions { LatencyMs = 60 });
        // A generous time limit per attempt: a sign-in cut off on a busy machine and sent again would be a third sign-in.
        using var kronos = new TestKronos([new("PayTrack:Kronos:AttemptTimeout", "00:00:10")]);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var start = _site.Today.AddYears(-2);
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(jobs.Succeeded, jobs.ToString());

        var run = kronos.Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None);
        await Until(() => _site.Stats[StatName.TimecardRequests] >= 2);
        _site.Clock.Advance(TimeSpan.FromMinutes(31));
        var result = await run.WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.All(result.Value, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        Assert.Equal(1, _site.Stats[StatName.ExpiredSessions]);
        Assert.Equal(2, _site.Stats[StatName.Logins]);
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TestKronos.Bound, "The run did not start in time.");
            await Task.Delay(5);
        }
    }
}

/// <summary>Each account's cookies are its own, and a session outlives the pooled handler it started on.</summary>
public sealed class KronosCookieJarTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _site;

    public KronosCookieJarTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Fact]
    public async Task ASessionSurvivesTheHandlerPoolsRotation()
    {
        var handlers = 0;
        using var kronos = new TestKronos(configure: services => services.Configure<HttpClientFactoryOptions>(KronosClient.HttpClientName, options =>
        {
            options.HandlerLifetime = TimeSpan.FromSeconds(1);
            options.HttpMessageHandlerBuilderActions.Add(_ => Interlocked.Increment(ref handlers));
        }));
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        Assert.True((await kronos.Client.SignInAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound)).Succeeded);
        var first = Volatile.Read(ref handlers);

        // Every operation takes a client from the factory; once the first handler's lifetime is over, a new one is built.
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref handlers) == first)
        {
            Assert.True(clock.Elapsed < TestKronos.Bound, "The handler was never replaced.");
            Assert.True((await kronos.Client.GetJobsAsync(session, CancellationToken.None)).Succeeded);
            await Task.Delay(50);
        }

        var start = _site.Today.AddDays(-90);
        var result = await kronos.Client.GetTimecardAsync(session, new KronosJobKey(10234, 7), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(TestKronos.Json(truth, result.Value), TestKronos.Json(result.Value.Periods));
        Assert.Equal(1, _site.Stats[StatName.Logins]);
    }

    [Fact]
    public async Task ManyAccountsSyncedAtTheSameMomentNeverSendEachOthersCookie()
    {
        using var kronos = new TestKronos();
        var accounts = Enumerable.Range(0, 8).Select(i => $"user{i:00000}").Append("ana.student").ToList();
        var sessions = accounts.Select(a => kronos.Client.OpenSession(_site.Connection(a))).ToList();
        try
        {
            var start = _site.Today.AddYears(-1);
            var results = await Task.WhenAll(sessions.Select(async session =>
            {
                var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None);
                Assert.True(jobs.Succeeded, jobs.ToString());
                return await kronos.Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None);
            })).WaitAsync(TestKronos.Bound);

            for (var i = 0; i < sessions.Count; i++)
            {
                Assert.True(results[i].Succeeded, results[i].ToString());
                var truth = await _site.TruthAsync(accounts[i], start, _site.Today);
                Assert.All(results[i].Value!, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
            }

            // The site refuses (and counts) any request whose cookie belongs to another account than the one it asks for.
            Assert.Equal(0, _site.Stats[StatName.CrossAccountDenied]);
            Assert.Equal(sessions.Count, _site.Stats[StatName.Logins]);
            var url = new Uri(_site.BaseUrl);
            Assert.Equal(sessions.Count, sessions.Select(s => s.Cookies.GetCookieHeader(url)).Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task AConnectionsOwnPathsAreWhereItsRequestsGo()
    {
        using var kronos = new TestKronos();
        // The same site, described with the base URL one level up and every path one level longer.
        var connection = _site.Connection("ana.student") with
        {
            BaseUrl = _site.Origin,
            LoginPath = "api/login",
            EmployeePath = "api/rest/employeebyusername/{username}",
            TimecardPath = "/api/rest/timecard/{employeeid}/{payruleid}/{start}/{end}",
        };
        using var session = kronos.Client.OpenSession(connection);
        var start = _site.Today.AddDays(-60);

        var result = await kronos.Client.GetTimecardAsync(session, new KronosJobKey(10234, 12), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(TestKronos.Json(truth, result.Value), TestKronos.Json(result.Value.Periods));
        Assert.True((await kronos.Client.GetJobsAsync(session, CancellationToken.None)).Succeeded);
    }
}
