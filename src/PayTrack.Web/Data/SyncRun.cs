namespace PayTrack.Web.Data;

public enum SyncKind
{
    /// <summary>A user's whole history, from each job's hire date to today, in checkpointed chunks.</summary>
    Catchup,

    /// <summary>
    /// The rolling window of recent pay periods. A run with a user is that user's update; a run without one is the
    /// sweep that queued every user's update, and counts them.
    /// </summary>
    UpdatePunches,
}

/// <summary>What started a run.</summary>
public enum SyncTrigger
{
    Schedule,
    User,
    Admin,
    Command,

    /// <summary>"Trigger now" on the Hangfire Dashboard's recurring entry <c>catchup:&lt;email&gt;</c>.</summary>
    Dashboard,
}

public enum SyncStatus
{
    /// <summary>Waiting for a Hangfire worker (or for its retry, or for the time Kronos asked us to wait until).</summary>
    Queued,

    /// <summary>A process holds the run's lock and works on it.</summary>
    Running,

    Succeeded,
    Failed,

    /// <summary>Kronos rejected the saved password: recorded on the connection and never tried again until new credentials.</summary>
    Rejected,

    /// <summary>Not attempted, for a reason recorded in <see cref="SyncRun.Error"/> (for example rejected credentials).</summary>
    Skipped,
}

/// <summary>
/// One run of a job, as PayTrack's history shows it: who and what started it, what it did, and where it got to. Hangfire
/// queues and retries the work; this row is what a user and an administrator read.
/// </summary>
public sealed class SyncRun
{
    public long Id { get; set; }

    public SyncKind Kind { get; set; }

    /// <summary>The user whose timecard the run reads; null for an update-punches sweep over every user.</summary>
    public string? UserId { get; set; }

    /// <summary>For a user's update: the sweep that queued it.</summary>
    public long? SweepId { get; set; }

    public SyncTrigger Trigger { get; set; }

    /// <summary>The administrator who asked for it, when one did.</summary>
    public string? RequestedBy { get; set; }

    public SyncStatus Status { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>For the daily sweep: the cron fire time it ran for.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>Punches read from Kronos.</summary>
    public int Fetched { get; set; }

    public int NewCount { get; set; }

    public int ChangedCount { get; set; }

    public int UnchangedCount { get; set; }

    /// <summary>Steps done: chunks for a catchup, users for a sweep.</summary>
    public int StepsDone { get; set; }

    public int StepsTotal { get; set; }

    /// <summary>For a sweep: users whose update failed.</summary>
    public int FailedCount { get; set; }

    /// <summary>The date range being read (a catchup's current chunk, an update's window).</summary>
    public DateOnly? RangeStart { get; set; }

    public DateOnly? RangeEnd { get; set; }

    /// <summary>Why the run failed or was skipped, in words the user or an administrator can act on. Never a secret.</summary>
    public string? Error { get; set; }
}

/// <summary>A catchup's checkpoint: one job's date range, and whether its punches are stored.</summary>
public sealed class SyncRunChunk
{
    public long RunId { get; set; }

    public int Seq { get; set; }

    public required string UserId { get; set; }

    public long EmployeeId { get; set; }

    public long PayRuleId { get; set; }

    public DateOnly RangeStart { get; set; }

    public DateOnly RangeEnd { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public int Fetched { get; set; }
}
