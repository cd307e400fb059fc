using System.Globalization;
using System.Text.Json.Serialization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>A Federal Work-Study award: an amount the user may earn between two local dates, on the jobs listed.</summary>
public sealed record WorkStudyAward(long Id, string Name, decimal Amount, DateOnly Start, DateOnly End, IReadOnlyList<string> JobKeys)
{
    public const int MaxNameLength = UserWorkStudyAward.MaxNameLength;

    public static string? Problem(string? name, decimal amount, DateOnly start, DateOnly end, int jobCount)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return $"Give the award a name of at most {MaxNameLength} characters, for example Work-study 2025-26.";
        }

        if (amount is <= 0m or > 1_000_000m || decimal.Round(amount, 2) != amount)
        {
            return "The award's amount must be more than $0 and at most $1,000,000, in dollars and cents.";
        }

        if (start.Year is < 1900 or > 9000 || end.Year is < 1900 or > 9000 || end < start)
        {
            return "The award must end on or after the day it starts.";
        }

        return jobCount == 0 ? "Choose at least one job whose pay counts against the award." : null;
    }
}

/// <summary>Where an award stands on a day, and where it is heading at the recent pace.</summary>
public sealed record WorkStudyProjection(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("start")] DateOnly Start,
    [property: JsonPropertyName("end")] DateOnly End,
    [property: JsonPropertyName("earned")] decimal Earned,
    [property: JsonPropertyName("remaining")] decimal Remaining,
    [property: JsonPropertyName("weekly_pace")] decimal WeeklyPace,
    [property: JsonPropertyName("weekly_pace_hours")] decimal WeeklyPaceHours,
    [property: JsonPropertyName("projected_run_out")] DateOnly? ProjectedRunOut,
    [property: JsonPropertyName("runs_out_early")] bool RunsOutEarly,
    [property: JsonPropertyName("hours_per_week_to_last")] decimal? HoursPerWeekToLast,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("source")] string Source);

/// <summary>
/// The projection of a Federal Work-Study award. Earned: the gross pay of the award's jobs from its first day to
/// today (or its last day). Pace: what those jobs earned in the last 28 days (fewer when the award is younger),
/// per week. The award runs out when the remaining amount is earned at that pace, counted in whole days; when that
/// is before the award ends, the hours a week that would make it last are the remaining amount spread over the
/// days left, at the average hourly pay of the pace's days.
/// </summary>
public static class WorkStudy
{
    public const string Source = "34 CFR Part 675 (Federal Work-Study): work-study pay stops when the award is earned; hours after that need other funding.";

    public const int PaceDays = 28;

    /// <param name="pays">Every shift's pay the award could include (other jobs and days are ignored).</param>
    public static WorkStudyProjection Project(WorkStudyAward award, IEnumerable<ShiftPay> pays, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(pays);
        var jobs = award.JobKeys.ToHashSet(StringComparer.Ordinal);
        var last = today < award.End ? today : award.End;
        var counted = pays.Where(p => jobs.Contains(p.JobKey) && p.Date >= award.Start && p.Date <= last).ToList();
        var earned = counted.Sum(p => p.GrossPay);
        var remaining = Math.Max(award.Amount - earned, 0m);

        var paceStart = last.AddDays(-(PaceDays - 1)) < award.Start ? award.Start : last.AddDays(-(PaceDays - 1));
        var paceDays = last < award.Start ? 0 : last.DayNumber - paceStart.DayNumber + 1;
        var inPace = counted.Where(p => p.Date >= paceStart).ToList();
        var paceDollars = inPace.Sum(p => p.GrossPay);
        var paceMinutes = inPace.Sum(p => p.Minutes);
        var perDay = paceDays == 0 ? 0m : paceDollars / paceDays;
        var perDayMinutes = paceDays == 0 ? 0m : (decimal)paceMinutes / paceDays;
        var hourly = paceMinutes == 0 ? 0m : paceDollars * 60m / paceMinutes;

        DateOnly? runOut = null;
        decimal? hoursToLast = null;
        string message;
        var money = CultureInfo.GetCultureInfo("en-US");
        if (remaining == 0m)
        {
            message = "The award is used up: pay from these jobs is no longer work-study.";
        }
        else if (today >= award.End)
        {
            message = string.Create(money, $"The award ended on {award.End:MMMM d, yyyy} with {remaining:C} unused.");
        }
        else if (perDay == 0m)
        {
            message = string.Create(money, $"No pay from these jobs in the last {PaceDays} days: at this pace {remaining:C} is left when the award ends.");
        }
        else
        {
            var days = (int)Math.Ceiling(remaining / perDay);
            runOut = today.AddDays(days);
            if (runOut < award.End)
            {
                var daysLeft = award.End.DayNumber - today.DayNumber;
                hoursToLast = Math.Round(remaining * 7m / daysLeft / hourly, 2, MidpointRounding.AwayFromZero);
                message = string.Create(money,
                    $"At {perDay * 7m:C} a week the award runs out on {runOut:MMMM d, yyyy}, before it ends on {award.End:MMMM d, yyyy}. About {hoursToLast} hours a week would make it last.");
            }
            else
            {
                message = string.Create(money, $"At {perDay * 7m:C} a week the award lasts until it ends on {award.End:MMMM d, yyyy}.");
            }
        }

        return new WorkStudyProjection(award.Id, award.Name, award.Amount, award.Start, award.End, PayRounding.ToCents(earned), PayRounding.ToCents(remaining),
            PayRounding.ToCents(perDay * 7m), Math.Round(perDayMinutes * 7m / 60m, 2, MidpointRounding.AwayFromZero), runOut, runOut < award.End, hoursToLast, message, Source);
    }
}
