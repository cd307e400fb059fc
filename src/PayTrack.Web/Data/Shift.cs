namespace PayTrack.Web.Data;

/// <summary>
/// The clean meaning of a punch (or a shift entered by hand): what the dashboards, pay and exports read.
/// Kronos and imported shifts are recomputed from their raw punch by Timecards/CleaningRules.cs;
/// manual shifts are never touched by a sync.
/// </summary>
public sealed class Shift
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long JobId { get; set; }

    /// <summary>The punch this shift comes from; null for a manual shift.</summary>
    public long? RawPunchId { get; set; }

    /// <summary>The local date of the in-punch in <see cref="TimeZone"/>: the day the shift belongs to.</summary>
    public DateOnly LocalDate { get; set; }

    public DateTimeOffset StartAt { get; set; }

    /// <summary>Null while the out-punch is missing.</summary>
    public DateTimeOffset? EndAt { get; set; }

    public required string TimeZone { get; set; }

    public DateTimeOffset? RoundedStartAt { get; set; }

    public DateTimeOffset? RoundedEndAt { get; set; }

    /// <summary>Real elapsed minutes, 0 while open or when the punches make no sense.</summary>
    public int WorkedMinutes { get; set; }

    /// <summary>The minutes pay is based on: rounded times when the site rounds, else <see cref="WorkedMinutes"/>.</summary>
    public int PaidMinutes { get; set; }

    public ShiftStatus Status { get; set; }

    /// <summary>Why the shift is not plainly complete, in words a user can read; null when it is.</summary>
    public string? Note { get; set; }

    /// <summary>The employer changed the punch after the fact.</summary>
    public bool Edited { get; set; }

    public ShiftSource Source { get; set; }

    /// <summary>The user's own words on a manual shift.</summary>
    public string? UserNote { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A field-for-field copy, for the cleaning rules to change without touching the original.</summary>
    public Shift Copy() => (Shift)MemberwiseClone();
}

public enum ShiftStatus
{
    Complete,
    MissingOut,
    Edited,
    Manual,
    Anomaly,
}

public enum ShiftSource
{
    Kronos,
    Import,
    Manual,
}
