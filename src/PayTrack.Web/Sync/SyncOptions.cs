using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Sync;

/// <summary>The catchup and update-punches jobs, their schedule and Hangfire's share of each node (section PayTrack:Jobs).</summary>
public sealed class SyncOptions
{
    public const string Section = "PayTrack:Jobs";

    /// <summary>Cron expression (minute hour day-of-month month day-of-week) of the daily update-punches run.</summary>
    [Required]
    public string UpdatePunchesCron { get; set; } = "0 22 * * *";

    /// <summary>IANA time zone the cron expression is read in.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Hangfire workers on each node: users updated (or catchups run) at once; each holds one Kronos sign-in.</summary>
    [Range(1, 512)]
    public int WorkerCount { get; set; } = 16;

    /// <summary>The Hangfire queue of the per-user updates.</summary>
    [Required]
    [RegularExpression("^[a-z0-9_-]{1,20}$")]
    public string UpdateQueue { get; set; } = "update-punches";

    /// <summary>The Hangfire queue of the catchups (full-history syncs).</summary>
    [Required]
    [RegularExpression("^[a-z0-9_-]{1,20}$")]
    public string CatchupQueue { get; set; } = "catchup";

    /// <summary>Queues this node's workers take, first ones first; empty means the two above and Hangfire's "default".</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>The rolling window re-read by update-punches covers at least this many days back to today.</summary>
    [Range(1, 366)]
    public int UpdateWindowMinDays { get; set; } = 28;

    /// <summary>Pay periods re-read besides the current one (1: the previous period too), for supervisors' late fixes.</summary>
    [Range(0, 12)]
    public int UpdateWindowPreviousPeriods { get; set; } = 1;

    /// <summary>Where catchup starts for a job whose hire date Kronos does not give.</summary>
    [Range(1, 30)]
    public int CatchupYearsWithoutHireDate { get; set; } = 5;

    /// <summary>Hangfire's retries of a run Kronos failed for now (after the client's own retries), before it is recorded as failed.</summary>
    [Range(0, 20)]
    public int Retries { get; set; } = 3;

    /// <summary>Seconds before each retry (the last value repeats).</summary>
    public IList<int> RetryDelaysSeconds { get; } = [];

    /// <summary>
    /// A job whose node stopped without a word (a crash, SIGKILL) is taken by another node after this long. With the
    /// sliding invisibility timeout a running job's node keeps it invisible, so a long catchup never runs twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an idle worker looks for a job (when <see cref="LongPolling"/> is off, its only way to find one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Workers wait for new jobs on PostgreSQL LISTEN/NOTIFY besides polling: a job starts at once, but every idle
    /// worker holds a database connection while it waits.
    /// </summary>
    public bool LongPolling { get; set; }

    /// <summary>How often a node moves due retries and scheduled jobs to their queues.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stopping node waits for its jobs to see the cancellation before Hangfire requeues them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Finished runs older than this are deleted from PayTrack's history.</summary>
    [Range(1, 3650)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>Run a Hangfire server (workers and the recurring-job scheduler) on this node; off for a node that only serves pages.</summary>
    public bool RunJobs { get; set; } = true;

    public IReadOnlyList<string> WorkerQueues() => Queues.Count > 0 ? [.. Queues] : [CatchupQueue, UpdateQueue, "default"];

    public int[] RetryDelays() => RetryDelaysSeconds.Count > 0 ? [.. RetryDelaysSeconds] : [30, 120, 600];
}
