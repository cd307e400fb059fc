using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Jobs;

/// <summary>The catchup and update-punches jobs, their schedule and how a cluster shares them (section PayTrack:Jobs).</summary>
public sealed class JobsOptions
{
    public const string Section = "PayTrack:Jobs";

    /// <summary>Quartz cron expression (with seconds) of the daily update-punches run.</summary>
    [Required]
    public string UpdatePunchesCron { get; set; } = "0 0 22 * * ?";

    /// <summary>IANA time zone the cron expression is read in.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Users updated at once on each node; each holds one Kronos sign-in and its requests.</summary>
    [Range(1, 512)]
    public int UpdateParallelism { get; set; } = 16;

    /// <summary>The rolling window re-read by update-punches covers at least this many days back to today.</summary>
    [Range(1, 366)]
    public int UpdateWindowMinDays { get; set; } = 28;

    /// <summary>Pay periods re-read besides the current one (1: the previous period too), for supervisors' late fixes.</summary>
    [Range(0, 12)]
    public int UpdateWindowPreviousPeriods { get; set; } = 1;

    /// <summary>Full-history syncs running at once on each node (Quartz threads besides the scheduler's own jobs).</summary>
    [Range(1, 64)]
    public int CatchupConcurrency { get; set; } = 4;

    /// <summary>Where catchup starts for a job whose hire date Kronos does not give.</summary>
    [Range(1, 30)]
    public int CatchupYearsWithoutHireDate { get; set; } = 5;

    /// <summary>
    /// A running job that has not renewed its lease for this long belongs to a node that stopped; it is given to
    /// another node, which resumes it from its last checkpoint.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the cluster looks for runs left behind by a stopped node (and finished runs to forget).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle node looks for queued work when no notification woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of one run (a node stopping under it counts as one) before it is recorded as failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Finished runs older than this are deleted from the history.</summary>
    [Range(1, 3650)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>How often each node tells the cluster it is alive; a node silent for this plus a margin is recovered from.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle scheduler waits before looking again for triggers that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan SchedulerIdleWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run the scheduler and the queue worker on this node; off for a node that only serves pages.</summary>
    public bool RunJobs { get; set; } = true;
}
