using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;

namespace PayTrack.Web.Sync;

public static class SyncExtensions
{
    /// <summary>Where the Hangfire Dashboard answers, for administrators only.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>Hangfire's tables live in their own schema of PayTrack's database.</summary>
    public const string Schema = "hangfire";

    /// <summary>
    /// Hangfire with its storage in PayTrack's database (schema <see cref="Schema"/>, created by Hangfire.PostgreSql's own
    /// installer at start-up), the two jobs and their services, and, on nodes that run jobs, a Hangfire server whose
    /// workers take both queues. Settings: PayTrack:Jobs.
    /// </summary>
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SyncOptions>()
            .BindConfiguration(SyncOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsCron(o.UpdatePunchesCron), "PayTrack:Jobs:UpdatePunchesCron is not a valid cron expression (minute hour day-of-month month day-of-week, e.g. \"0 22 * * *\").")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "PayTrack:Jobs:TimeZone must be an IANA time zone such as America/New_York.")
            .Validate(o => o.RetryDelaysSeconds.All(s => s is >= 1 and <= 86_400), "PayTrack:Jobs:RetryDelaysSeconds must be seconds between 1 and 86400.")
            .ValidateOnStart();

        builder.Services.AddSingleton<SyncRuns>();
        builder.Services.AddSingleton<SyncEvents>();
        builder.Services.AddSingleton<CatchupLock>();
        builder.Services.AddSingleton<CatchupEntries>();
        builder.Services.AddScoped<CatchupService>();
        builder.Services.AddScoped<CatchupJob>();
        builder.Services.AddScoped<UpdatePunchesService>();
        builder.Services.AddScoped<UpdatePunchesJobs>();
        builder.Services.AddScoped<SyncRequests>();
        builder.Services.AddScoped<SyncQueries>();

        AddHangfire(builder);
        var settings = builder.Configuration.GetSection(SyncOptions.Section).Get<SyncOptions>() ?? new SyncOptions();
        if (settings.RunJobs)
        {
            builder.Services.AddHangfireServer((sp, server) =>
            {
                var jobs = sp.GetRequiredService<IOptions<SyncOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.Queues = [.. jobs.WorkerQueues()];
                server.ShutdownTimeout = jobs.ShutdownTimeout;
                server.SchedulePollingInterval = jobs.SchedulePollingInterval;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            builder.Services.AddHostedService<SyncStartup>();
        }

        return builder;
    }

    /// <summary>
    /// Hangfire, with everything a host's jobs depend on held by this host's container. Hangfire's defaults are
    /// process-wide (JobStorage.Current, JobActivator.Current, GlobalJobFilters): with several PayTrack hosts in one
    /// process, as in the tests, one host's workers would build their jobs from another host's services (its database,
    /// its clock, or a container already disposed) and take its retry settings, and a job could stay queued for good.
    /// Hangfire.NetCore registers those defaults with TryAdd, so the registrations made here first are the ones used by
    /// the server, the client, the recurring-job manager and the dashboard.
    /// </summary>
    private static void AddHangfire(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            var jobs = sp.GetRequiredService<IOptions<SyncOptions>>().Value;
            return new PostgreSqlStorage(new DataSourceConnections(sp.GetRequiredService<NpgsqlDataSource>()), new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = true,
                // Off by default: a crashed job would wait the whole invisibility timeout, and a job running longer
                // than it would be given to a second worker. With it, a running job's server keeps it invisible.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = jobs.InvisibilityTimeout,
                QueuePollInterval = jobs.QueuePollInterval,
                EnableLongPolling = jobs.LongPolling,
            });
        });
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var jobs = sp.GetRequiredService<IOptions<SyncOptions>>().Value;
            // Of Hangfire's four default filters only the retry, with the rule of this host's settings: Kronos failing for
            // now gets a few retries with back-off, then the run records the failure in words. The other three cost
            // statements on every one of the daily update's per-user jobs for nothing PayTrack uses (decision 0034):
            // CaptureCulture writes two job parameters (PayTrack formats without the request's culture), StatisticsHistory
            // two counters (the Hangfire Dashboard's daily and hourly history graph; its totals stay), ContinuationsSupport
            // reads a parameter at each job's end (PayTrack chains no job to another: a ContinueJobWith would need it back).
            var filters = new JobFilterCollection
            {
                new AutomaticRetryAttribute
                {
                    Attempts = jobs.Retries,
                    DelaysInSeconds = jobs.RetryDelays(),
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                },
            };
            return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
        });
        builder.Services.AddHangfire((sp, config) =>
        {
            // Process-wide and the same for every host: how job arguments are written.
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseTypeResolver(RenamedJobTypes.Resolve)
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()));
        });
    }

    /// <summary>The buttons' endpoints (a user's "Sync full history" and "Sync now", an administrator's "Run catchup" and "Run update-punches now") and the Hangfire Dashboard.</summary>
    public static IEndpointRouteBuilder MapSync(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // A user starts runs for their own account only: the user comes from the sign-in, never from the form.
        endpoints.MapPost("/jobs/catchup", (HttpContext http, SyncRequests requests, CancellationToken cancellationToken) =>
            UserRequestAsync(http, async () => Notice(await requests.RequestCatchupAsync(UserId(http), SyncTrigger.User, null, cancellationToken)), cancellationToken))
            .RequireAuthorization().RequireAntiforgeryToken();
        endpoints.MapPost("/jobs/update", (HttpContext http, SyncRequests requests, CancellationToken cancellationToken) =>
            UserRequestAsync(http, async () => UpdateNotice(await requests.RequestUpdateAsync(UserId(http), SyncTrigger.User, null, cancellationToken)), cancellationToken))
            .RequireAuthorization().RequireAntiforgeryToken();

        var admin = endpoints.MapGroup("/admin/jobs").RequireAuthorization(p => p.RequireRole(Roles.Admin)).RequireAntiforgeryToken();
        admin.MapPost("/catchup", async (HttpContext http, SyncRequests requests, CancellationToken cancellationToken) =>
        {
            if (await FormFields.ReadAsync(http.Request, "userId", cancellationToken) is not { } userId)
            {
                return TypedResults.LocalRedirect("/admin?notice=bad-request");
            }

            var result = await requests.RequestCatchupAsync(userId, SyncTrigger.Admin, UserId(http), cancellationToken);
            return TypedResults.LocalRedirect(WithNotice("/admin", Notice(result)) + "#running");
        });
        admin.MapPost("/update-punches", RedirectHttpResult (HttpContext http, SyncRequests requests) =>
        {
            requests.RunUpdatePunchesNow(SyncTrigger.Admin, UserId(http));
            return TypedResults.LocalRedirect("/admin?notice=update-started#running");
        });

        endpoints.MapHangfireDashboardWithAuthorizationPolicy(Roles.Admin, DashboardPath, new DashboardOptions
        {
            DisplayStorageConnectionString = false,
            DashboardTitle = "PayTrack jobs",
            AppPath = "/admin",
        });
        return endpoints;
    }

    /// <summary>A user's button: checks where to come back to before anything is queued, runs the request, goes back with its notice.</summary>
    private static async Task<RedirectHttpResult> UserRequestAsync(HttpContext http, Func<Task<string>> request, CancellationToken cancellationToken)
    {
        if (await FormFields.ReadAsync(http.Request, "returnUrl", cancellationToken) is not { } back)
        {
            return TypedResults.LocalRedirect(WithNotice("/", "bad-request"));
        }

        back = back.Length == 0 ? "/" : back;
        // Checked before anything is queued: a return address that is not one of PayTrack's pages queues nothing.
        if (!LocalUrl.IsLocal(back))
        {
            return TypedResults.LocalRedirect(WithNotice("/", "bad-request"));
        }

        return TypedResults.LocalRedirect(WithNotice(back, await request()));
    }

    internal static string UpdateNotice(Outcome<long?> result) => result.Kind switch
    {
        OutcomeKind.Done => "sync-now-started",
        OutcomeKind.Busy => "sync-now-already",
        OutcomeKind.Refused => "credentials-rejected",
        _ => "no-connection",
    };

    /// <summary>A code for the page to say in words; free text in a URL would let a link put words on an admin page.</summary>
    internal static string Notice(Outcome<long?> result) => result.Kind switch
    {
        OutcomeKind.Done => "catchup-started",
        OutcomeKind.Busy => "catchup-already",
        OutcomeKind.Refused => "credentials-rejected",
        _ => "no-connection",
    };

    private static bool IsCron(string expression)
    {
        try
        {
            _ = Cronos.CronExpression.Parse(expression);
            return true;
        }
        catch (Cronos.CronFormatException)
        {
            return false;
        }
    }

    private static string WithNotice(string url, string notice) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "notice=" + notice;

    private static string UserId(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authorized request without a user id.");
}

/// <summary>Hangfire's connections come from PayTrack's own data source (its pool and its connection string).</summary>
internal sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}

/// <summary>At a job node's start: the daily update-punches entry (its cron and zone from settings) and the dashboard's catchup entries.</summary>
/// <summary>
/// Registers the daily update's schedule, then puts the Hangfire Dashboard's catchup entries right. The schedule must
/// be registered for the daily update to run at all, so a database that refuses for a moment (restarting, or out of
/// sessions) is waited for with back-off: it is no reason to stop PayTrack, which a failed background service does.
/// </summary>
internal sealed partial class SyncStartup(IRecurringJobManager recurring, CatchupEntries entries, IOptions<SyncOptions> options, TimeProvider time, ILogger<SyncStartup> logger) : BackgroundService
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var jobs = options.Value;
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                recurring.AddOrUpdate(UpdatePunchesJobs.RecurringId,
                    Hangfire.Common.Job.FromExpression<UpdatePunchesJobs>(j => j.SweepAsync(SyncTrigger.Schedule, null, CancellationToken.None), jobs.UpdateQueue),
                    jobs.UpdatePunchesCron,
                    new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(jobs.TimeZone) });
                break;
            }
            catch (Exception ex) when (IsDatabaseUnavailable(ex))
            {
                LogScheduleFailed(logger, ex.Message, wait.TotalSeconds);
                await Task.Delay(wait, time, stoppingToken);
                wait = DatabaseBackoff.Next(wait, LongestWait);
            }
        }

        try
        {
            await entries.ReconcileAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogReconcileFailed(logger, ex.Message);
        }
    }

    private static bool IsDatabaseUnavailable(Exception ex) =>
        ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or Hangfire.Storage.DistributedLockTimeoutException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The daily update's schedule could not be saved yet ({Reason}); trying again in {Seconds} s")]
    private static partial void LogScheduleFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hangfire Dashboard: could not put the catchup entries right ({Reason})")]
    private static partial void LogReconcileFailed(ILogger logger, string reason);
}
