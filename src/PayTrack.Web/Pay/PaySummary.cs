using System.Text.Json.Serialization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

// The summary behind the dashboard, GET /api/summary and the `report` command. Member names are the API's JSON
// (snake_case). Dates are local dates of the user's time zone; hours are decimal hours to the hundredth and money
// is to the cent, each rounded from unrounded sums, so a total can differ by a cent (or 0.01 h) from the sum of
// the rounded figures shown beside it. Minutes are exact.

/// <summary>A whole workweek, even where it reaches outside the requested range, since overtime needs all of it.</summary>
public sealed record WorkweekSummary(
    [property: JsonPropertyName("start")] DateOnly Start,
    [property: JsonPropertyName("end")] DateOnly End,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("overtime_hours")] decimal OvertimeHours,
    [property: JsonPropertyName("regular_rate")] decimal RegularRate,
    [property: JsonPropertyName("straight_time_pay")] decimal StraightTimePay,
    [property: JsonPropertyName("overtime_premium")] decimal OvertimePremium,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay,
    [property: JsonPropertyName("cap")] CapReading Cap)
{
    /// <summary>Hours paid at straight time only (not at 1.5x or 2x).</summary>
    [JsonPropertyName("regular_hours")]
    public decimal RegularHours { get; init; }

    /// <summary>Hours paid at twice the regular rate (California only).</summary>
    [JsonPropertyName("double_time_hours")]
    public decimal DoubleTimeHours { get; init; }

    /// <summary>The employer's rounding in this week (see <see cref="RoundingAudit"/>).</summary>
    [JsonPropertyName("rounding")]
    public RoundingFigures Rounding { get; init; } = new(0, 0, 0, 0m);
}

/// <summary>A whole pay period: each day's straight-time pay plus the overtime premium earned on that day.</summary>
public sealed record PayPeriodSummary(
    [property: JsonPropertyName("start")] DateOnly Start,
    [property: JsonPropertyName("end")] DateOnly End,
    [property: JsonPropertyName("payday")] DateOnly Payday,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("overtime_hours")] decimal OvertimeHours,
    [property: JsonPropertyName("straight_time_pay")] decimal StraightTimePay,
    [property: JsonPropertyName("overtime_premium")] decimal OvertimePremium,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay);

/// <summary>One job's share of the requested range ("pay by job"), premium included where its overtime fell.</summary>
public sealed record JobSummary(
    [property: JsonPropertyName("job")] string JobKey,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("overtime_hours")] decimal OvertimeHours,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay);

public sealed record DayJobSummary(
    [property: JsonPropertyName("job")] string JobKey,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay);

/// <summary>A day of the requested range with at least one shift.</summary>
public sealed record DaySummary(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("overtime_hours")] decimal OvertimeHours,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay,
    [property: JsonPropertyName("jobs")] IReadOnlyList<DayJobSummary> Jobs);

/// <summary>The requested range's own days only (this month, year to date).</summary>
public sealed record PayTotals(
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("hours")] decimal Hours,
    [property: JsonPropertyName("overtime_hours")] decimal OvertimeHours,
    [property: JsonPropertyName("gross_pay")] decimal GrossPay);

public sealed record PaySummary(
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("totals")] PayTotals Totals,
    [property: JsonPropertyName("workweeks")] IReadOnlyList<WorkweekSummary> Workweeks,
    [property: JsonPropertyName("pay_periods")] IReadOnlyList<PayPeriodSummary> PayPeriods,
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobSummary> Jobs,
    [property: JsonPropertyName("days")] IReadOnlyList<DaySummary> Days,
    [property: JsonPropertyName("jobs_without_rate")] IReadOnlyList<string> JobsWithoutRate)
{
    [JsonPropertyName("overtime_rule")]
    public OvertimeRule OvertimeRule { get; init; }

    /// <summary>The statute or regulation the overtime figures follow.</summary>
    [JsonPropertyName("overtime_source")]
    public string OvertimeSource { get; init; } = OvertimeSources.Federal;

    /// <summary>Each Federal Work-Study award's projection; filled by the queries that know the awards.</summary>
    [JsonPropertyName("work_study")]
    public IReadOnlyList<WorkStudyProjection> WorkStudy { get; init; } = [];

    /// <summary>The range's net pay estimate; filled by the queries that know the terms.</summary>
    [JsonPropertyName("net")]
    public NetPayEstimate? Net { get; init; }

    [JsonPropertyName("disclaimer")]
    public string Disclaimer { get; init; } = Estimates.Disclaimer;
}

public static class Estimates
{
    public const string Disclaimer = "These figures are estimates, not legal or tax advice.";
}
