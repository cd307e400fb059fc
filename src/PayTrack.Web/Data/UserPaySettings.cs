namespace PayTrack.Web.Data;

/// <summary>
/// A user's own pay settings, saved on the settings page. A user without a row gets the configured defaults
/// (<c>PayTrack:Pay</c>).
/// </summary>
public sealed class UserPaySettings
{
    public required string UserId { get; set; }

    public PayPeriodKind PeriodKind { get; set; }

    public DateOnly PeriodAnchor { get; set; }

    public int PaydayOffsetDays { get; set; }

    public DayOfWeek WorkweekStart { get; set; }

    public bool OvertimeEnabled { get; set; }

    public bool UseRoundedTimes { get; set; }

    public decimal WeeklyCapHours { get; set; }

    public decimal NearCapMarginHours { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A raise (or cut) of one of the user's jobs, paid on shifts attributed to <see cref="EffectiveFrom"/> or later.</summary>
public sealed class PayRateChange
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long JobId { get; set; }

    public DateOnly EffectiveFrom { get; set; }

    /// <summary>Dollars per hour.</summary>
    public decimal HourlyRate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
