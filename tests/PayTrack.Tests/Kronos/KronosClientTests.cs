using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>PayTrack's Kronos client against the simulator over loopback HTTP, on a site with no faults.</summary>
public sealed class KronosClientTests : IClassFixture<SimulatorFixture>, IDisposable
{
    private readonly SimulatorFixture _site;
    private readonly TestKronos _kronos = new();

    public KronosClientTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    private KronosClient Client => _kronos.Client;

    public void Dispose() => _kronos.Dispose();

    [Fact]
    public async Task FourYearsOfBothJobsComeBackExactlyAsTheSiteHoldsThem()
    {
        using var session = Client.OpenSession(_site.Connection("ana.student"));
        var jobs = await Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(jobs.Succeeded, jobs.ToString());
        var keys = jobs.Value.Select(KronosJobKey.From).ToList();
        var start = _site.Today.AddYears(-4).AddDays(1);

        var result = await Client.GetTimecardsAsync(session, keys, start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(2, result.Value.Count);
        foreach (var timecard in result.Value)
        {
            Assert.Equal(TestKronos.Json(truth, timecard), TestKronos.Json(timecard.Periods));
            Assert.Equal(timecard.Periods.Count, timecard.Periods.Select(p => p.PeriodStart).Distinct().Count());
            Assert.Contains(timecard.Periods, p => p.Days.Count > 0);
        }

        var chunksPerJob = KronosClient.Chunks(start, _site.Today, new KronosOptions().ChunkDays).Count();
        Assert.Equal(16, chunksPerJob);
        Assert.Equal(2 * chunksPerJob, _site.Stats[StatName.TimecardRequests]);
        Assert.Equal(1, _site.Stats[StatName.Logins]);
    }

    [Fact]
    public void ChunksCoverTheRangeWithoutGapsOrOverlap()
    {
        var start = new DateOnly(2022, 11, 19);
        var end = new DateOnly(2026, 11, 18);
        var chunks = KronosClient.Chunks(start, end, 92).ToList();
        Assert.Equal(start, chunks[0].Start);
        Assert.Equal(end, chunks[^1].End);
        Assert.All(chunks, c => Assert.InRange(c.End.DayNumber - c.Start.DayNumber + 1, 1, 92));
        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.Equal(pair.First.End.AddDays(1), pair.Second.Start));
        Assert.Single(KronosClient.Chunks(end, end, 92));
    }

    [Fact]
    public async Task AWrongPasswordIsReportedOnceAndNeverSentAgain()
    {
        using var session = Client.OpenSession(_site.Connection("ana.student", "wrong-password"));
        var key = new KronosJobKey(10234, 7);

        var timecards = await Client.GetTimecardsAsync(session, [key, new KronosJobKey(10234, 12)], _site.Today.AddYears(-1), _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);
        var jobs = await Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        var signIn = await Client.SignInAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.Equal(KronosFailureKind.InvalidCredentials, timecards.Failure?.Kind);
        Assert.Equal(KronosFailureKind.InvalidCredentials, jobs.Failure?.Kind);
        Assert.Equal(KronosFailureKind.InvalidCredentials, signIn.Failure?.Kind);
        Assert.DoesNotContain("wrong-password", timecards.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(1, _site.Stats.LoginAttempts("ana.student"));
    }

    [Fact]
    public async Task ASiteThatWantsItsOwnSingleSignOnIsReported()
    {
        using var session = Client.OpenSession(_site.Connection("eve.sso"));
        var jobs = await Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.SingleSignOnRequired, jobs.Failure?.Kind);
        Assert.Equal(1, _site.Stats.LoginAttempts("eve.sso"));
    }

    [Fact]
    public async Task AnAccountWithoutAJobIsToldSoPlainly()
    {
        using var session = Client.OpenSession(_site.Connection("dan.nojob"));
        var jobs = await Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.NoActiveJob, jobs.Failure?.Kind);
        Assert.Contains("no active job", jobs.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALockedTimecardIsAFailureNotAnEmptyTimecard()
    {
        using var session = Client.OpenSession(_site.Connection("finn.locked"));
        var result = await Client.GetTimecardAsync(session, new KronosJobKey(10777, 12), _site.Today.AddDays(-30), _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.TimecardError, result.Failure?.Kind);
        Assert.Equal("WFP-00950", result.Failure!.SiteCode);
        Assert.Contains("Timecard is locked", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionSignsInAgainOnceAndCarriesOn()
    {
        using var session = Client.OpenSession(_site.Connection("ana.student"));
        Assert.True((await Client.GetJobsAsync(session, CancellationToken.None)).Succeeded);
        _site.Clock.Advance(TimeSpan.FromMinutes(31));
        var start = _site.Today.AddYears(-1);

        var result = await Client.GetTimecardsAsync(session, [new KronosJobKey(10234, 7), new KronosJobKey(10234, 12)], start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.All(result.Value, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        Assert.Equal(2, _site.Stats[StatName.Logins]);
        Assert.Equal(1, _site.Stats[StatName.ExpiredSessions]);
    }

    [Fact]
    public async Task TwoAccountsFetchedAtOnceNeverSeeEachOthersDataOrCookies()
    {
        using var ana = Client.OpenSession(_site.Connection("ana.student"));
        using var load = Client.OpenSession(_site.Connection("user00042"));
        var start = _site.Today.AddYears(-2);

        var results = await Task.WhenAll(FetchAllAsync(ana, start), FetchAllAsync(load, start)).WaitAsync(TestKronos.Bound);

        foreach (var (session, timecards) in new[] { (ana, results[0]), (load, results[1]) })
        {
            var truth = await _site.TruthAsync(session.Connection.Username, start, _site.Today);
            Assert.Equal(truth.Timecards.Count, timecards.Count);
            Assert.All(timecards, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        }

        var site = new Uri(_site.BaseUrl);
        Assert.NotEqual(ana.Cookies.GetCookieHeader(site), load.Cookies.GetCookieHeader(site));
        Assert.Single(ana.Cookies.GetAllCookies());
        Assert.Single(load.Cookies.GetAllCookies());
        Assert.Equal(0, _site.Stats[StatName.CrossAccountDenied]);
        Assert.Equal(2, _site.Stats[StatName.Logins]);
    }

    [Fact]
    public void ConnectionSettingsNeverPrintThePassword()
    {
        var settings = _site.Connection("ana.student", "s3cret-pass");
        Assert.DoesNotContain("s3cret-pass", settings.ToString(), StringComparison.Ordinal);
        Assert.Null(settings.Problem());
        Assert.NotNull((settings with { BaseUrl = "timecard.example.edu" }).Problem());
        Assert.NotNull((settings with { TimeZone = "Mars/Olympus" }).Problem());
        Assert.Throws<ArgumentException>(() => Client.OpenSession(settings with { BaseUrl = "ftp://example.edu" }));
    }

    [Fact]
    public async Task KronosOptionsOutOfRangeStopTheHostAtStartup()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([new("PayTrack:Kronos:ChunkDays", "400")]);
        builder.AddKronos();
        await using var app = builder.Build();
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ChunkDays", error.Message, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<JobTimecard>> FetchAllAsync(KronosSession session, DateOnly start)
    {
        var jobs = await Client.GetJobsAsync(session, CancellationToken.None);
        Assert.True(jobs.Succeeded, jobs.ToString());
        Assert.All(jobs.Value, job => Assert.Equal(session.Connection.Username == "ana.student" ? 10234 : 200_042, job.EmployeeId));
        var result = await Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None);
        Assert.True(result.Succeeded, result.ToString());
        return result.Value;
    }
}
