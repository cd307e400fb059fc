using System.Text.Json.Serialization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>
/// One user's pay settings. The configuration section <see cref="Section"/> gives the defaults for users who
/// have not chosen; each user's own choices are stored with their account and passed in here.
/// </summary>
public sealed record PayOptions
{
    public const string Section = "PayTrack:Pay";

    /// <summary>Overtime is owed on hours beyond 40 in a workweek (FLSA, 29 U.S.C. 207(a)); not a setting.</summary>
    public const int OvertimeThresholdMinutes = 40 * 60;

    public PayPeriodKind PeriodKind { get; init; } = PayPeriodKind.Biweekly;

    /// <summary>
    /// The first day of any one pay period, for weekly and biweekly schedules (the periods repeat from it in both
    /// directions). Semi-monthly periods ignore it. The default is a Sunday, like the campus site's periods; set it
    /// from the site's <c>periodStart</c> when known.
    /// </summary>
    public DateOnly PeriodAnchor { get; init; } = new(2024, 1, 7);

    /// <summary>Days from a period's last day to its payday: 6 pays on the Friday after a Sunday-to-Saturday period.</summary>
    public int PaydayOffsetDays { get; init; } = 6;

    /// <summary>The first day of the fixed 7-day workweek over which overtime and the weekly cap are counted.</summary>
    public DayOfWeek WorkweekStart { get; init; } = DayOfWeek.Sunday;

    public bool OvertimeEnabled { get; init; } = true;

    /// <summary>Pay from the employer's rounded times when the site gives them; otherwise, and when off, the actual times.</summary>
    public bool UseRoundedTimes { get; init; } = true;

    /// <summary>Hours allowed per workweek across all jobs (a student worker's limit); 0 turns the cap off.</summary>
    public decimal WeeklyCapHours { get; init; } = 20m;

    /// <summary>Federal (the default) or California overtime; see <see cref="OvertimeSources"/>.</summary>
    public OvertimeRule OvertimeRule { get; init; } = OvertimeRule.Federal;

    /// <summary>
    /// Hours allowed per workweek across all jobs in a workweek with no day in one of the user's terms (a break);
    /// 0 turns it off. <see cref="WeeklyCapHours"/> is the in-session cap.
    /// </summary>
    public decimal BreakCapHours { get; init; } = 40m;

    /// <summary>The user claims the student FICA exemption (school employer, enrolled at least half time).</summary>
    public bool FicaStudentExempt { get; init; }

    /// <summary>Income tax withholding the user expects, as a percentage of gross pay, for the net estimate.</summary>
    public decimal WithholdingPercent { get; init; }

    /// <summary>Within this many hours of the cap the meter shows "near".</summary>
    public decimal NearCapMarginHours { get; init; } = 2m;

    /// <summary>What is wrong with these settings, in words for the settings page; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(PeriodKind))
        {
            errors.Add("The pay period must be weekly, biweekly or semi-monthly.");
        }

        if (PaydayOffsetDays is < 0 or > 60)
        {
            errors.Add("Payday must be 0 to 60 days after the pay period ends.");
        }

        if (!Enum.IsDefined(WorkweekStart))
        {
            errors.Add("The workweek must start on a day of the week.");
        }

        if (WeeklyCapHours is < 0m or > 168m)
        {
            errors.Add("The weekly cap must be 0 (off) to 168 hours.");
        }

        if (!Enum.IsDefined(OvertimeRule))
        {
            errors.Add("The overtime rule must be federal or california.");
        }

        if (BreakCapHours is < 0m or > 168m)
        {
            errors.Add("The break cap must be 0 (off) to 168 hours.");
        }

        if (WithholdingPercent is < 0m or > 100m)
        {
            errors.Add("The withholding must be 0 to 100 percent.");
        }

        if (NearCapMarginHours is < 0m or > 168m)
        {
            errors.Add("The near-cap margin must be 0 to 168 hours.");
        }

        if (PeriodAnchor.Year is < 1900 or > 9000)
        {
            errors.Add("The pay period anchor must be a date between the years 1900 and 9000.");
        }

        return errors;
    }

    internal void EnsureValid(string paramName)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Pay settings are not usable: " + string.Join(" ", errors), paramName);
        }
    }
}
