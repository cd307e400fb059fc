namespace PayTrack.Web.Data;

/// <summary>One ingest of punches (a Kronos sync or a backup import), whether it succeeded or not.</summary>
public sealed class IngestBatch
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public ShiftSource Source { get; set; }

    public IngestBatchStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int NewCount { get; set; }

    public int ChangedCount { get; set; }

    public int UnchangedCount { get; set; }

    public int ShiftsWritten { get; set; }

    public int ProblemCount { get; set; }

    /// <summary>A sentence for the user when the batch failed as a whole (for example, the file is too large).</summary>
    public string? Message { get; set; }
}

public enum IngestBatchStatus
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>A validation problem found in a batch, with where it is (a JSON path, or a line and position).</summary>
public sealed class IngestProblem
{
    public long Id { get; set; }

    public long BatchId { get; set; }

    public required string UserId { get; set; }

    public required string Location { get; set; }

    public required string Message { get; set; }
}

/// <summary>
/// The dates of one job a successful batch covered. A punch was last seen by the latest batch whose range holds
/// its day, which lets a repeated sync leave the punches themselves untouched.
/// </summary>
public sealed class IngestRange
{
    public long Id { get; set; }

    public long BatchId { get; set; }

    public required string UserId { get; set; }

    public long JobId { get; set; }

    public DateOnly FromDate { get; set; }

    public DateOnly ToDate { get; set; }
}
