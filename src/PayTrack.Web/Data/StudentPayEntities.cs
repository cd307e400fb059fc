namespace PayTrack.Web.Data;

/// <summary>
/// A user's own choices for the student rules (overtime rule, break cap, FICA exemption, withholding). A row of its
/// own, beside the pay settings, so saving one form never resets the other; no row: the configured defaults.
/// </summary>
public sealed class StudentPaySettings
{
    public required string UserId { get; set; }

    public OvertimeRule OvertimeRule { get; set; }

    public decimal BreakCapHours { get; set; }

    public bool FicaStudentExempt { get; set; }

    public decimal WithholdingPercent { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A term as stored: the breaks are the days between a user's terms.</summary>
public sealed class UserTerm
{
    /// <summary>The longest name a term may have (the column's length).</summary>
    public const int MaxNameLength = 100;

    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public DateOnly FirstDay { get; set; }

    public DateOnly LastDay { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A Federal Work-Study award as stored, with the ids of the user's jobs that count against it.</summary>
public sealed class UserWorkStudyAward
{
    /// <summary>The longest name an award may have (the column's length).</summary>
    public const int MaxNameLength = 100;

    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public decimal Amount { get; set; }

    public DateOnly StartDate { get; set; }

    public DateOnly EndDate { get; set; }

    public required long[] JobIds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A pay stub the user typed in, to compare with PayTrack's figures for its period.</summary>
public sealed class UserPayStub
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public DateOnly PeriodStart { get; set; }

    public DateOnly PeriodEnd { get; set; }

    public decimal Hours { get; set; }

    public decimal GrossPay { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
