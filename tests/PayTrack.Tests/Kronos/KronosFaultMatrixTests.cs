using PayTrack.KronosSimulator;
using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>
/// The fault matrix of issue 13, each case over loopback against the simulator with the circuit breaker as PayTrack
/// ships it: the client ends with exactly the site's ground truth (equal field for field, so no punch twice and none
/// missing) or with a clear typed failure, and never sends a request earlier than the site's Retry-After.
/// </summary>
public sealed class KronosFaultMatrixTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _site;

    public KronosFaultMatrixTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Fact]
    public async Task ThreeThrottledAnswersInARowWithRetryAfterOneSecondAreWaitedOutExactly()
    {
        _site.SetFaults(new FaultOptions { ThrottleShare = 1, RetryAfterSeconds = 1, MaxConsecutive = 3 });
        await AssertTruthAsync(days: 150);
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Throttle"] >= 12);
        Assert.Equal(0, _site.Stats[StatName.EarlyRetries]);
    }

    [Fact]
    public async Task ThreeServerErrorsInARowDoNotOpenTheCircuit()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 3 });
        await AssertTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["ServerError"] >= 30);
    }

    [Fact]
    public async Task ThreeConnectionResetsInARowDoNotOpenTheCircuit()
    {
        _site.SetFaults(new FaultOptions { DropShare = 1, MaxConsecutive = 3 });
        await AssertTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Drop"] >= 30);
    }

    [Fact]
    public async Task OneMalformedAnswerIsReadAgain()
    {
        _site.SetFaults(new FaultOptions { MalformedShare = 1, MaxConsecutive = 1 });
        await AssertTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Malformed"] >= 8);
    }

    [Fact]
    public async Task OneHtmlPageInsteadOfJsonSignsInAgainAndCarriesOn()
    {
        _site.SetFaults(new FaultOptions { HtmlPageShare = 1, MaxConsecutive = 1 });
        await AssertTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["HtmlPage"] >= 8);
    }

    [Fact]
    public async Task OneErrorObjectInA200IsReadAgain()
    {
        _site.SetFaults(new FaultOptions { ErrorObjectShare = 1, MaxConsecutive = 1 });
        await AssertTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["ErrorObject"] >= 8);
    }

    [Fact]
    public async Task HangsOnATenthOfRequestsAreCutOffAndRetried()
    {
        _site.SetFaults(new FaultOptions { HangShare = 0.1, MaxConsecutive = 0 });
        await AssertTruthAsync(years: 4, overrides: [new("PayTrack:Kronos:AttemptTimeout", "00:00:00.500")]);
        Assert.True(_site.Stats.Snapshot().FaultsByKind.GetValueOrDefault("Hang") >= 1);
    }

    [Fact]
    public async Task ALongRetryAfterEndsTheReadWithTheTimeToWaitAndNothingIsSentBeforeIt()
    {
        _site.SetFaults("ana.student", new FaultOptions { ThrottleShare = 1, RetryAfterSeconds = 120, MaxConsecutive = 0 });
        using var kronos = new TestKronos(TestKronos.ShippedCircuit);
        var before = DateTimeOffset.UtcNow;
        using (var session = kronos.Client.OpenSession(_site.Connection("ana.student") with { TimeZone = "America/New_York" }))
        {
            var result = await kronos.Client.GetTimecardAsync(session, new KronosJobKey(10234, 7), _site.Today.AddDays(-60), _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

            Assert.Equal(KronosFailureKind.AskedToWait, result.Failure?.Kind);
            Assert.True(result.Failure!.IsTransient);
            Assert.InRange(result.Failure.RetryAt!.Value, before.AddSeconds(119), DateTimeOffset.UtcNow.AddSeconds(121));
            var local = TimeZoneInfo.ConvertTime(result.Failure.RetryAt.Value, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
            Assert.StartsWith($"Kronos asked us to wait until {local:HH:mm}", result.Failure.Message, StringComparison.Ordinal);
            Assert.Equal(1, _site.Stats.LoginAttempts("ana.student"));

            // The same session, asked again at once, sends nothing.
            var again = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
            Assert.Equal(KronosFailureKind.AskedToWait, again.Failure?.Kind);
        }

        // Nor does a new session of the same account (a sync started again), while another account is not held up.
        using (var next = kronos.Client.OpenSession(_site.Connection("ana.student")))
        {
            Assert.Equal(KronosFailureKind.AskedToWait, (await kronos.Client.SignInAsync(next, CancellationToken.None).WaitAsync(TestKronos.Bound)).Failure?.Kind);
        }

        using (var other = kronos.Client.OpenSession(_site.Connection("ben.nightowl")))
        {
            Assert.True((await kronos.Client.GetJobsAsync(other, CancellationToken.None).WaitAsync(TestKronos.Bound)).Succeeded);
        }

        Assert.Equal(1, _site.Stats.LoginAttempts("ana.student"));
        Assert.Equal(0, _site.Stats[StatName.EarlyRetries]);
    }

    [Fact]
    public async Task AWrongPasswordIsSentExactlyOnceEvenOnAFailingSite()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 0.5, MaxConsecutive = 2 });
        using var kronos = new TestKronos(TestKronos.ShippedCircuit);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student", "not-her-password"));

        var timecards = await kronos.Client.GetTimecardsAsync(session, [new(10234, 7), new(10234, 12)], _site.Today.AddYears(-1), _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.Equal(KronosFailureKind.InvalidCredentials, timecards.Failure?.Kind);
        Assert.Equal(KronosFailureKind.InvalidCredentials, jobs.Failure?.Kind);
        Assert.Equal(1, _site.Stats[StatName.FailedLogins]);
    }

    [Fact]
    public async Task AChunkThatStaysUnreadableFailsNamingItsDatesAfterItsReads()
    {
        _site.SetFaults(new FaultOptions { MalformedShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos(TestKronos.ShippedCircuit);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var start = new DateOnly(2026, 10, 1);
        var end = new DateOnly(2026, 10, 31);

        var result = await kronos.Client.GetTimecardAsync(session, new KronosJobKey(10234, 7), start, end, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.Equal(KronosFailureKind.MalformedAnswer, result.Failure?.Kind);
        Assert.Equal((start, end), result.Failure!.Range);
        Assert.StartsWith("PayTrack could not read your Kronos timecard for 1 Oct 2026 to 31 Oct 2026 after 3 tries.", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _site.Stats[StatName.TimecardRequests]);
    }

    [Fact]
    public async Task ASiteThatKeepsFailingOpensItsCircuitAndThenNothingMoreIsSent()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos([.. TestKronos.ShippedCircuit, new("PayTrack:Kronos:MaxRetries", "4"), new("PayTrack:Kronos:ChunkAttempts", "1"), new("PayTrack:Kronos:CircuitBreakDuration", "00:01:00")]);
        var failures = new List<KronosFailure>();
        for (var account = 0; account < 12; account++)
        {
            using var session = kronos.Client.OpenSession(_site.Connection($"user{account:00000}"));
            failures.Add((await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound)).Failure!);
        }

        // Fifty failed attempts in a row (ten accounts, five attempts each) open it; the next accounts send nothing.
        Assert.All(failures.Take(10), f => Assert.Equal(KronosFailureKind.Transient, f.Kind));
        Assert.Equal(KronosFailureKind.CircuitOpen, failures[11].Kind);
        Assert.Equal(0, _site.Stats.LoginAttempts("user00011"));
    }

    private async Task AssertTruthAsync(int days = 0, int years = 1, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        using var kronos = new TestKronos([.. TestKronos.ShippedCircuit, .. overrides ?? []]);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var start = days > 0 ? _site.Today.AddDays(-days) : _site.Today.AddYears(-years);
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(jobs.Succeeded, jobs.ToString());

        var result = await kronos.Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        Assert.Equal(0, _site.Stats[StatName.CrossAccountDenied]);
        Assert.Equal(0, _site.Stats[StatName.EarlyRetries]);
    }
}
