using PayTrack.KronosSimulator;
using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>
/// The client against each of the simulator's faults: it comes back, within a bounded time, with either exactly the
/// site's ground truth or the right typed failure.
/// </summary>
public sealed class KronosFaultTests : IClassFixture<SimulatorFixture>
{
    private static readonly KronosJobKey[] AnasJobs = [new(10234, 7), new(10234, 12)];

    private readonly SimulatorFixture _site;

    public KronosFaultTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Fact]
    public async Task LatencyWithJitterStillGivesTheTruth()
    {
        _site.SetFaults(new FaultOptions { LatencyMs = 20, JitterMs = 30 });
        await AssertFetchesTruthAsync();
    }

    [Fact]
    public async Task ThrottlingIsRetriedNoSoonerThanTheSitesRetryAfter()
    {
        _site.SetFaults(new FaultOptions { ThrottleShare = 1, RetryAfterSeconds = 1, MaxConsecutive = 1 });
        await AssertFetchesTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Throttle"] >= 10);
        Assert.Equal(0, _site.Stats[StatName.EarlyRetries]);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackOff()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 2 });
        await AssertFetchesTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["ServerError"] >= 20);
    }

    [Fact]
    public async Task HangingRequestsAreCutOffAndRetried()
    {
        _site.SetFaults(new FaultOptions { HangShare = 1, MaxConsecutive = 1 });
        await AssertFetchesTruthAsync(new TestKronos([new("PayTrack:Kronos:AttemptTimeout", "00:00:00.500")]));
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Hang"] >= 10);
    }

    [Fact]
    public async Task DroppedConnectionsAreRetried()
    {
        _site.SetFaults(new FaultOptions { DropShare = 1, MaxConsecutive = 2 });
        await AssertFetchesTruthAsync();
        Assert.True(_site.Stats.Snapshot().FaultsByKind["Drop"] >= 20);
    }

    [Fact]
    public async Task AnHtmlPageWhereJsonBelongsMeansSignInAgainOnce()
    {
        _site.SetFaults(new FaultOptions { HtmlPageShare = 1, MaxConsecutive = 1 });
        await AssertFetchesTruthAsync();
        Assert.True(_site.Stats[StatName.Logins] >= 2);
    }

    [Fact]
    public async Task AnHtmlPageRightAfterAFreshSignInIsASessionRejectedFailure()
    {
        _site.SetFaults(new FaultOptions { HtmlPageShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos();
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.SessionRejected, jobs.Failure?.Kind);
        Assert.Equal(2, _site.Stats[StatName.Logins]);
    }

    [Fact]
    public async Task MalformedJsonIsAFailureThatSaysWhereItBrokeAfterItsReads()
    {
        _site.SetFaults(new FaultOptions { MalformedShare = 1, MaxConsecutive = 0 });
        var failure = await OneChunkFailureAsync();
        Assert.Equal(KronosFailureKind.MalformedAnswer, failure.Kind);
        Assert.Contains("line 1, byte", failure.Where, StringComparison.Ordinal);
        // Where it broke goes to the server log; the message the user reads has no parser text.
        Assert.DoesNotContain(failure.Where!, failure.Message, StringComparison.Ordinal);
        Assert.Matches(@"^PayTrack could not read your Kronos timecard for \d{1,2} [A-Z][a-z]{2} \d{4} to \d{1,2} [A-Z][a-z]{2} \d{4} after 3 tries\. Kronos sent a timecard that PayTrack could not read\. Nothing stored was changed\.$", failure.Message);
        Assert.Equal(3, _site.Stats[StatName.TimecardRequests]);
    }

    [Fact]
    public async Task AMissingRequiredFieldIsMalformedAtThatPunch()
    {
        _site.SetFaults(new FaultOptions { MissingFieldShare = 1, MaxConsecutive = 0 });
        var failure = await OneChunkFailureAsync();
        Assert.Equal(KronosFailureKind.MalformedAnswer, failure.Kind);
        Assert.StartsWith("$[0].days[0].punches[0]", failure.Where, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorObjectInA200IsATimecardErrorNotAnEmptyTimecard()
    {
        _site.SetFaults("ana.student", new FaultOptions { ErrorObjectShare = 1, MaxConsecutive = 0 });
        var failure = await OneChunkFailureAsync();
        Assert.Equal(KronosFailureKind.TimecardError, failure.Kind);
        Assert.Equal("WFP-00950", failure.SiteCode);
    }

    [Fact]
    public async Task SingleSignOnOnLoginIsReportedWithoutRetrying()
    {
        _site.SetFaults("ana.student", new FaultOptions { SingleSignOn = true });
        var failure = await OneChunkFailureAsync();
        Assert.Equal(KronosFailureKind.SingleSignOnRequired, failure.Kind);
        Assert.Equal(1, _site.Stats.LoginAttempts("ana.student"));
    }

    [Fact]
    public async Task ASiteThatKeepsFailingGivesATransientFailureInBoundedTime()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos([new("PayTrack:Kronos:MaxRetries", "2"), new("PayTrack:Kronos:ChunkAttempts", "1")]);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.Transient, jobs.Failure?.Kind);
        Assert.Contains(jobs.Failure!.HttpStatus, new int?[] { 500, 503 });
        Assert.Equal(3, _site.Stats.LoginAttempts("ana.student"));
    }

    [Fact]
    public async Task ASiteThatNeverAnswersGivesATransientFailureInBoundedTime()
    {
        _site.SetFaults(new FaultOptions { HangShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos([new("PayTrack:Kronos:MaxRetries", "1"), new("PayTrack:Kronos:AttemptTimeout", "00:00:00.200")]);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.Equal(KronosFailureKind.Transient, jobs.Failure?.Kind);
        Assert.Contains("no answer in time", jobs.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFailuresOpenTheSitesCircuitWhichSparesOtherSites()
    {
        _site.SetFaults(new FaultOptions { ServerErrorShare = 1, MaxConsecutive = 0 });
        using var kronos = new TestKronos(
        [
            new("PayTrack:Kronos:MaxRetries", "3"),
            new("PayTrack:Kronos:ChunkAttempts", "1"),
            new("PayTrack:Kronos:CircuitFailureRatio", "0.5"),
            new("PayTrack:Kronos:CircuitMinimumThroughput", "4"),
            new("PayTrack:Kronos:CircuitBreakDuration", "00:01:00"),
        ]);
        using (var first = kronos.Client.OpenSession(_site.Connection("ana.student")))
        {
            // Four failed attempts (one and three retries) open the circuit as the call gives up.
            var failed = await kronos.Client.GetJobsAsync(first, CancellationToken.None).WaitAsync(TestKronos.Bound);
            Assert.Equal(KronosFailureKind.Transient, failed.Failure?.Kind);
        }

        var requestsBefore = _site.Stats[StatName.ApiRequests];
        using (var second = kronos.Client.OpenSession(_site.Connection("ben.nightowl")))
        {
            var refused = await kronos.Client.GetJobsAsync(second, CancellationToken.None).WaitAsync(TestKronos.Bound);
            Assert.Equal(KronosFailureKind.CircuitOpen, refused.Failure?.Kind);
            Assert.NotNull(refused.Failure!.RetryAfter);
        }

        Assert.Equal(requestsBefore, _site.Stats[StatName.ApiRequests]);

        // The same server under another name is another site, with its own circuit.
        _site.SetFaults(null);
        using var elsewhere = kronos.Client.OpenSession(_site.Connection("ben.nightowl") with { BaseUrl = _site.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) });
        Assert.True((await kronos.Client.GetJobsAsync(elsewhere, CancellationToken.None).WaitAsync(TestKronos.Bound)).Succeeded);
    }

    private async Task AssertFetchesTruthAsync(TestKronos? client = null)
    {
        using var kronos = client ?? new TestKronos();
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var start = _site.Today.AddYears(-1);
        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(jobs.Succeeded, jobs.ToString());
        var result = await kronos.Client.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), start, _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.True(result.Succeeded, result.ToString());

        var truth = await _site.TruthAsync("ana.student", start, _site.Today);
        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, t => Assert.Equal(TestKronos.Json(truth, t), TestKronos.Json(t.Periods)));
        Assert.Equal(0, _site.Stats[StatName.CrossAccountDenied]);
    }

    /// <summary>One job, one chunk of the last 30 days (term time, so it holds punches): the failure it ends in.</summary>
    private async Task<KronosFailure> OneChunkFailureAsync()
    {
        using var kronos = new TestKronos();
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        var result = await kronos.Client.GetTimecardAsync(session, AnasJobs[0], _site.Today.AddDays(-29), _site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);
        Assert.False(result.Succeeded);
        return result.Failure;
    }
}
