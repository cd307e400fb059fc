using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>A stricter site: short sessions that lapse into its HTML login page, and at most 30 days per timecard request.</summary>
public sealed class StrictSiteFixture : SimulatorFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Simulator:ExpiredSession", "LoginPage"),
        new("Simulator:SessionIdleMinutes", "5"),
        new("Simulator:MaxRangeDays", "30"),
    ];
}

public sealed class KronosStrictSiteTests : IClassFixture<StrictSiteFixture>
{
    private readonly StrictSiteFixture _site;

    public KronosStrictSiteTests(StrictSiteFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Fact]
    public async Task ASiteThatRefusesLongRangesIsAskedInSmallerPieces()
    {
        using var kronos = new TestKronos();
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var start = _site.Today.AddYears(-1);

        var result = await kronos.Client.GetTimecardAsync(session, new KronosJobKey(10234, 7), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(TestKronos.Json(truth, result.Value), TestKronos.Json(result.Value.Periods));
        Assert.True(_site.Stats[StatName.TimecardRequests] > 4);
    }

    [Fact]
    public async Task ASessionThatLapsesIntoTheLoginPageSignsInAgain()
    {
        using var kronos = new TestKronos();
        using var session = kronos.Client.OpenSession(_site.Connection("user00007"));
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(jobs.Succeeded, jobs.ToString());
        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        var start = _site.Today.AddDays(-29);

        var result = await kronos.Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("user00007", start, _site.Today);
        Assert.All(result.Value, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        Assert.Equal(2, _site.Stats[StatName.Logins]);
    }
}
