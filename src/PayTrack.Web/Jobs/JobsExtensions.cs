using System.Security.Claims;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Operations;
using Quartz;

namespace PayTrack.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Quartz with its clustered store in PayTrack's database (its tables created at scheduler start), the two jobs
    /// and their services, the per-node queue worker, and the watchdog. Settings: PayTrack:Jobs.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.UpdatePunchesCron, out _), "PayTrack:Jobs:UpdatePunchesCron is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 22 * * ?\").")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "PayTrack:Jobs:TimeZone must be an IANA time zone such as America/New_York.")
            .ValidateOnStart();

        builder.Services.AddSingleton<JobNode>();
        builder.Services.AddSingleton<JobRuns>();
        builder.Services.AddSingleton<LeaseKeeper>();
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<CatchupDispatcher>();
        builder.Services.AddScoped<CatchupService>();
        builder.Services.AddScoped<UpdatePunchesService>();
        builder.Services.AddScoped<JobRequests>();
        builder.Services.AddScoped<JobWatchdog>();
        builder.Services.AddScoped<JobQueries>();
        builder.Services.AddSingleton<UpdatePunchesWorker>();
        AddScheduler(builder);
        return builder;
    }

    private static void AddScheduler(WebApplicationBuilder builder)
    {
        // The schedule is read here, before the container exists, because Quartz stores its triggers at start-up.
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var cron = CronExpression.TryParse(jobs.UpdatePunchesCron, out _) ? jobs.UpdatePunchesCron : new JobsOptions().UpdatePunchesCron;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(jobs.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "PayTrack";
                s.IdleWaitTime = jobs.SchedulerIdleWait;
                // A node stopping asks its catchups to stop: each hands its run back to the queue at once, and
                // another node resumes it from its last checkpoint, instead of the shutdown waiting minutes for it.
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            // Catchups each hold a thread for their length; the sweep and the watchdog need one each besides.
            q.UseDefaultThreadPool(jobs.CatchupConcurrency + 2);
            // Quartz reads the application's TimeProvider: a clock that stands still would fire a repeating trigger once.
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(source => source.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.UseSystemTextJsonSerializer();
                store.UseClustering(c =>
                {
                    c.CheckinInterval = jobs.ClusterCheckinInterval;
                    c.CheckinMisfireThreshold = jobs.ClusterCheckinInterval * 2;
                });
                store.ProvisionSchema();
            });

            q.AddJob<CatchupJob>(j => j.WithIdentity(JobKeys.Catchup).StoreDurably().RequestRecovery()
                .WithDescription("A user's whole Kronos history, in checkpointed chunks."));
            q.AddJob<UpdatePunchesJob>(j => j.WithIdentity(JobKeys.UpdatePunches).StoreDurably()
                .WithDescription("Queues every user's rolling-window update for the nodes' workers."));
            q.AddTrigger(t => t.ForJob(JobKeys.UpdatePunches).WithIdentity(JobKeys.UpdatePunchesDaily)
                .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJob<WatchdogJob>(j => j.WithIdentity(JobKeys.Watchdog).StoreDurably());
            q.AddTrigger(t => t.ForJob(JobKeys.Watchdog).WithIdentity(JobKeys.WatchdogTrigger).StartNow()
                .WithSimpleSchedule(x => x.WithInterval(jobs.WatchdogInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });

        if (jobs.RunJobs)
        {
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            builder.Services.AddHostedService(sp => sp.GetRequiredService<UpdatePunchesWorker>());
        }
    }

    /// <summary>The buttons' endpoints: a user's "Sync full history", an administrator's "Run catchup" and "Run update-punches now".</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/jobs/catchup", async (HttpContext http, JobRequests requests, CancellationToken cancellationToken) =>
        {
            var result = await requests.RequestCatchupAsync(UserId(http), JobTrigger.User, null, dispatch: true, cancellationToken);
            var back = http.Request.Form["returnUrl"].ToString();
            back = LocalUrl.OrHome(back);
            return TypedResults.LocalRedirect(WithNotice(back, Notice(result)));
        }).RequireAuthorization().RequireAntiforgeryToken();

        var admin = endpoints.MapGroup("/admin/jobs").RequireAuthorization(p => p.RequireRole(AccountsExtensions.AdminRole)).RequireAntiforgeryToken();
        admin.MapPost("/catchup", async (HttpContext http, JobRequests requests, CancellationToken cancellationToken) =>
        {
            var userId = http.Request.Form["userId"].ToString();
            var result = await requests.RequestCatchupAsync(userId, JobTrigger.Admin, UserId(http), dispatch: true, cancellationToken);
            return TypedResults.LocalRedirect(WithNotice("/admin", Notice(result)) + "#running");
        });
        admin.MapPost("/update-punches", async (HttpContext http, JobRequests requests, CancellationToken cancellationToken) =>
        {
            await requests.RunUpdatePunchesNowAsync(JobTrigger.Admin, UserId(http), cancellationToken);
            return TypedResults.LocalRedirect("/admin?notice=update-started#running");
        });
        return endpoints;
    }

    /// <summary>A code for the page to say in words; free text in a URL would let a link put words on an admin page.</summary>
    internal static string Notice(JobRequestResult result) => result.Outcome switch
    {
        JobRequestOutcome.Started or JobRequestOutcome.Queued => "catchup-started",
        JobRequestOutcome.AlreadyActive => "catchup-already",
        JobRequestOutcome.CredentialsRejected => "credentials-rejected",
        _ => "no-connection",
    };

    private static string WithNotice(string url, string notice) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "notice=" + notice;

    private static string UserId(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authorized request without a user id.");
}
