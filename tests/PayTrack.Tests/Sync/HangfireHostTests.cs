using System.Net;
using Hangfire;
using Hangfire.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
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

    [Fact]
    public async Task ADatabaseThatRefusesTheDailyScheduleAtStartIsWaitedForAndPayTrackKeepsRunning()
    {
        await using var app = new ScheduleRefusedTwiceApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.CreateClient();

        await SyncTestKit.PollAsync<long>(app.ConnectionString, "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = @v",
            n => n == 1, "the daily update's schedule", TimeSpan.FromSeconds(30), ("v", UpdatePunchesJobs.RecurringId));
        Assert.Equal(2, app.Refusals);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>PayTrack whose database refuses the first two attempts to save a schedule, as one out of sessions does.</summary>
    private sealed class ScheduleRefusedTwiceApp : PayTrackAppFactory
    {
        private int _toRefuse = 2;
        private int _refusals;

        public int Refusals => Volatile.Read(ref _refusals);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                var real = services.Last(d => d.ServiceType == typeof(IRecurringJobManager));
                services.Replace(ServiceDescriptor.Singleton<IRecurringJobManager>(sp => new Refusing(this, real.ImplementationFactory is { } make
                    ? (IRecurringJobManager)make(sp)
                    : (IRecurringJobManager)(real.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)))));
            });
        }

        private sealed class Refusing(ScheduleRefusedTwiceApp app, IRecurringJobManager inner) : IRecurringJobManager
        {
            public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options)
            {
                if (Interlocked.Decrement(ref app._toRefuse) >= 0)
                {
                    Interlocked.Increment(ref app._refusals);
                    throw new NpgsqlException("sorry, too many clients already");
                }

                inner.AddOrUpdate(recurringJobId, job, cronExpression, options);
            }

            public void Trigger(string recurringJobId) => inner.Trigger(recurringJobId);

            public void RemoveIfExists(string recurringJobId) => inner.RemoveIfExists(recurringJobId);
        }
    }
}
