using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

/// <summary>
/// Hangfire keeps process-wide defaults (storage, activator, filters). Two PayTrack hosts in one process, as in these
/// tests, must each run their jobs with their own services and settings, or one host's jobs run against the other's
/// database and a job waits in its queue for good.
/// </summary>
public sealed class HangfireHostTests
{
    [Fact]
    public async Task TwoHostsInOneProcessKeepTheirOwnJobStorageActivatorAndRetryRule()
    {
        await using var first = new PayTrackAppFactory().WithSetting("PayTrack:Jobs:RunJobs", "false").WithSetting("PayTrack:Jobs:Retries", "1");
        await using var second = new PayTrackAppFactory().WithSetting("PayTrack:Jobs:RunJobs", "false").WithSetting("PayTrack:Jobs:Retries", "4");
        await ((IAsyncLifetime)first).InitializeAsync();
        await ((IAsyncLifetime)second).InitializeAsync();
        // Each host's Hangfire is configured (its client resolved) before the other's services are read.
        _ = first.Services.GetRequiredService<IBackgroundJobClient>();
        _ = second.Services.GetRequiredService<IBackgroundJobClient>();

        foreach (var (app, retries) in new[] { (first, 1), (second, 4) })
        {
            var job = Job.FromExpression<CatchupJob>(j => j.RunAsync("someone", null, CancellationToken.None));
            var retry = app.Services.GetRequiredService<IJobFilterProvider>().GetFilters(job).Select(f => f.Instance).OfType<AutomaticRetryAttribute>();
            Assert.Equal(retries, Assert.Single(retry).Attempts);

            using var scope = app.Services.GetRequiredService<JobActivator>().BeginScope(default(JobActivatorContext)!);
            Assert.Same(app.Services.GetRequiredService<SyncRuns>(), scope.Resolve(typeof(SyncRuns)));
        }

        Assert.NotSame(first.Services.GetRequiredService<JobStorage>(), second.Services.GetRequiredService<JobStorage>());
    }
}
