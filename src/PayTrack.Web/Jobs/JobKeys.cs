using Quartz;

namespace PayTrack.Web.Jobs;

/// <summary>
/// Quartz keys are stored in the database and shared by every node and every release: renaming one orphans the
/// rows stored under the old name, so they are spelled once, here.
/// </summary>
public static class JobKeys
{
    public const string Group = "paytrack";

    public static readonly JobKey Catchup = new("catchup", Group);

    public static readonly JobKey UpdatePunches = new("update-punches", Group);

    public static readonly TriggerKey UpdatePunchesDaily = new("update-punches-daily", Group);

    public static readonly JobKey Watchdog = new("job-watchdog", Group);

    public static readonly TriggerKey WatchdogTrigger = new("job-watchdog-every", Group);

    /// <summary>Job data: the job_runs row a catchup firing is for.</summary>
    public const string RunId = "runId";

    /// <summary>Job data of an update-punches firing started by hand: "admin" or "command"; absent for the schedule.</summary>
    public const string Trigger = "trigger";

    /// <summary>Job data: the user id of the administrator who asked.</summary>
    public const string RequestedBy = "requestedBy";
}

/// <summary>This process's name in the cluster, written on the runs it holds.</summary>
public sealed class JobNode
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}
