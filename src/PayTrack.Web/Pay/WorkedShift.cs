using System.Globalization;

namespace PayTrack.Web.Pay;

/// <summary>
/// One shift as pay sees it. <see cref="LocalDate"/> is the shift's attributed day (the local date of its in-punch);
/// a shift counts entirely in the workweek and pay period containing that day, even when it runs past midnight.
/// Minutes are elapsed minutes between UTC instants, so a shift across a daylight-saving change counts the time
/// actually worked (a 25-hour night is 25 hours) with no special case.
/// </summary>
/// <param name="JobKey">The job, "employeeid/payruleid" (see <see cref="JobKeys.Of"/>); all of a user's jobs share one employer.</param>
/// <param name="EndUtc">Null for an open shift (missing out-punch): it counts 0 hours until it is fixed.</param>
/// <param name="RoundedMinutes">Minutes between the employer's rounded punches, when the site gives them.</param>
public sealed record WorkedShift(string JobKey, DateOnly LocalDate, DateTimeOffset StartUtc, DateTimeOffset? EndUtc, int ActualMinutes, int? RoundedMinutes)
{
    public string JobKey { get; } = string.IsNullOrWhiteSpace(JobKey) ? throw new ArgumentException("A shift needs a job.", nameof(JobKey)) : JobKey;

    public DateTimeOffset? EndUtc { get; } = EndUtc is { } end && end < StartUtc
        ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The shift of {LocalDate:yyyy-MM-dd} ends before it starts."), nameof(EndUtc))
        : EndUtc;

    public int ActualMinutes { get; } = ActualMinutes >= 0 ? ActualMinutes : throw new ArgumentOutOfRangeException(nameof(ActualMinutes), ActualMinutes, "Minutes worked cannot be negative.");

    public int? RoundedMinutes { get; } = RoundedMinutes is null or >= 0 ? RoundedMinutes : throw new ArgumentOutOfRangeException(nameof(RoundedMinutes), RoundedMinutes, "Minutes worked cannot be negative.");

    public bool IsOpen => EndUtc is null;

    /// <summary>The minutes pay counts: 0 for an open shift; else rounded when asked for and known, else actual.</summary>
    public int PaidMinutes(bool useRounded) => IsOpen ? 0 : useRounded && RoundedMinutes is { } rounded ? rounded : ActualMinutes;

    /// <summary>
    /// A shift from its punches. Seconds are dropped from each instant before subtracting, as the timecard shows
    /// punches to the minute (09:00:40 to 17:00:10 is 480 minutes).
    /// </summary>
    public static WorkedShift FromPunches(string jobKey, DateOnly localDate, DateTimeOffset startUtc, DateTimeOffset? endUtc,
        DateTimeOffset? roundedStartUtc = null, DateTimeOffset? roundedEndUtc = null)
    {
        var actual = endUtc is { } end ? MinutesBetween(startUtc, end) : 0;
        int? rounded = roundedStartUtc is { } rs && roundedEndUtc is { } re ? MinutesBetween(rs, re) : null;
        // A very short shift can round to an end before its start; the employer pays nothing for it, not less.
        return new WorkedShift(jobKey, localDate, startUtc, endUtc, actual, rounded is < 0 ? 0 : rounded);
    }

    private static int MinutesBetween(DateTimeOffset start, DateTimeOffset end) =>
        checked((int)((ToMinute(end) - ToMinute(start)) / TimeSpan.TicksPerMinute));

    private static long ToMinute(DateTimeOffset instant) => instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMinute);
}

public static class JobKeys
{
    /// <summary>The key of the job identified on the site by <paramref name="employeeId"/> and <paramref name="payRuleId"/>.</summary>
    public static string Of(long employeeId, long payRuleId) => string.Create(CultureInfo.InvariantCulture, $"{employeeId}/{payRuleId}");

    /// <summary>How pages name a job: its department, else "Job employeeid/payruleid".</summary>
    public static string Label(long employeeId, long payRuleId, string? department) => string.IsNullOrWhiteSpace(department)
        ? string.Create(CultureInfo.InvariantCulture, $"Job {employeeId}/{payRuleId}")
        : department;
}
