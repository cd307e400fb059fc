using System.Text.Json.Serialization;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>A stub the user entered, with PayTrack's check of it.</summary>
public sealed record StubCheck(StubInfo Stub, PayStubCheckResult Result);

/// <summary>What the dashboard's student panel shows for today (the year's rounding without its per-shift and per-week rows).</summary>
public sealed record StudentDashboard(
    CapReading ThisWeek,
    PayPeriod Period,
    NetPayEstimate PeriodNet,
    IReadOnlyList<WorkStudyProjection> WorkStudy,
    RoundingAuditResult YearRounding,
    OvertimeRule OvertimeRule);

/// <summary>The student figures of <c>GET /api/pay/student</c>: the rounding audit of the range and every stub's check.</summary>
public sealed record StudentPayReport(
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("rounding")] RoundingAuditResult Rounding,
    [property: JsonPropertyName("stubs")] IReadOnlyList<PayStubCheckResult> Stubs,
    [property: JsonPropertyName("work_study")] IReadOnlyList<WorkStudyProjection> WorkStudy,
    [property: JsonPropertyName("disclaimer")] string Disclaimer);

/// <summary>
/// Reads what the student rules need (shifts with their history, awards, stubs) and applies the rules of Pay/ to
/// them. Every read is the user's own: each statement filters on the profile's user id.
/// </summary>
public sealed class StudentPayQueries(NpgsqlDataSource dataSource, StudentPayStore store)
{
    /// <summary>The pay summary of <paramref name="range"/> with the work-study projections (as of today) and the net estimate.</summary>
    public async Task<PaySummary> SummarizeAsync(PayProfile profile, DateRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var calculator = profile.Calculator;
        var shifts = Worked(await ShiftsAsync(profile, calculator.ShiftDatesNeededFor(range), cancellationToken));
        var summary = calculator.Summarize(range, shifts);
        var pays = calculator.Pays(range, shifts).Where(p => range.Contains(p.Date));
        return summary with
        {
            WorkStudy = await WorkStudyAsync(profile, cancellationToken),
            Net = NetPay.Estimate(pays, profile.Options, profile.Terms),
        };
    }

    public async Task<IReadOnlyList<WorkStudyProjection>> WorkStudyAsync(PayProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var awards = await store.ListAwardsAsync(profile.UserId, cancellationToken);
        return WorkStudyDates(profile, awards) is { } dates
            ? WorkStudyOf(profile, awards, Worked(await ShiftsAsync(profile, dates, cancellationToken)))
            : [];
    }

    /// <summary>The whole workweeks whose shifts the awards' projections need (from the first award's start to today at the latest), or null without awards.</summary>
    public static DateRange? WorkStudyDates(PayProfile profile, IReadOnlyList<AwardInfo> awards)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(awards);
        return awards.Count == 0 ? null : Weeks(profile, AwardsRange(profile, awards));
    }

    /// <summary>Each award's projection as of today, from the shifts of <see cref="WorkStudyDates"/> (more may be given); none without awards.</summary>
    public static IReadOnlyList<WorkStudyProjection> WorkStudyOf(PayProfile profile, IReadOnlyList<AwardInfo> awards, IReadOnlyList<WorkedShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(awards);
        if (awards.Count == 0)
        {
            return [];
        }

        var pays = profile.Calculator.Pays(AwardsRange(profile, awards), shifts);
        return awards
            .Select(a => WorkStudy.Project(new WorkStudyAward(a.Id, a.Name, a.Amount, a.Start, a.End, a.JobIds.Select(profile.KeyOf).ToList()), pays, profile.Today))
            .ToList();
    }

    private static DateRange AwardsRange(PayProfile profile, IReadOnlyList<AwardInfo> awards)
    {
        var first = awards.Min(a => a.Start);
        var last = awards.Max(a => a.End < profile.Today ? a.End : profile.Today);
        return new DateRange(first, last < first ? first : last);
    }

    public async Task<StudentPayReport> ReportAsync(PayProfile profile, DateRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var shifts = Worked(await ShiftsAsync(profile, range, cancellationToken));
        var audit = RoundingAudit.Audit(shifts, profile.Rates, profile.Calculator.Calendar);
        var stubs = await StubChecksAsync(profile, cancellationToken);
        return new StudentPayReport(range.Start, range.End, audit, stubs.Select(s => s.Result).ToList(), await WorkStudyAsync(profile, cancellationToken), Estimates.Disclaimer);
    }

    public async Task<IReadOnlyList<StubCheck>> StubChecksAsync(PayProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var stubs = await store.ListStubsAsync(profile.UserId, cancellationToken);
        if (stubs.Count == 0)
        {
            return [];
        }

        var span = new DateRange(stubs.Min(s => s.PeriodStart), stubs.Max(s => s.PeriodEnd));
        var all = await ShiftsAsync(profile, Weeks(profile, span), cancellationToken);
        var pays = profile.Calculator.Pays(span, Worked(all));
        return stubs
            .Select(s => new StubCheck(s, PayStubCheck.Check(new PayStub(s.Id, s.PeriodStart, s.PeriodEnd, s.Hours, s.GrossPay), pays, all, profile.Options, profile.Rates)))
            .ToList();
    }

    /// <summary>The whole workweeks whose shifts the panel needs: the year to date and the current pay period.</summary>
    public static DateRange DashboardDates(PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var today = profile.Today;
        var period = profile.Calculator.Calendar.PeriodContaining(today);
        var year = PayCalculator.YearToDate(today);
        return Weeks(profile, new DateRange(year.Start < period.Start ? year.Start : period.Start, period.End > today ? period.End : today));
    }

    /// <summary>
    /// The dashboard's panel (the overview reads what it needs in its round trip): from the shifts of
    /// <see cref="DashboardDates"/> (more may be given), the awards' projections and this week's cap as the overview read it.
    /// </summary>
    public static StudentDashboard Dashboard(PayProfile profile, IReadOnlyList<WorkedShift> shifts, IReadOnlyList<WorkStudyProjection> workStudy, CapReading thisWeek)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(shifts);
        var calculator = profile.Calculator;
        var today = profile.Today;
        var period = calculator.Calendar.PeriodContaining(today);
        var year = PayCalculator.YearToDate(today);
        var pays = calculator.Pays(period.Dates, shifts);
        // The panel shows the year's statement and its pay periods. The per-shift and per-week rows (hundreds by the end
        // of a year) are not built: every open dashboard builds this panel again on every change.
        var yearRounding = RoundingAudit.Audit(shifts.Where(s => year.Contains(s.LocalDate)), profile.Rates, calculator.Calendar, withShiftsAndWeeks: false);
        return new StudentDashboard(
            thisWeek,
            period,
            NetPay.Estimate(pays.Where(p => period.Contains(p.Date)), profile.Options, profile.Terms),
            workStudy,
            yearRounding,
            profile.Options.OvertimeRule);
    }

    private static DateRange Weeks(PayProfile profile, DateRange range)
    {
        var weeks = profile.Calculator.Calendar.WorkweeksOverlapping(range);
        return new DateRange(weeks[0].Start, weeks[^1].End);
    }

    private static List<WorkedShift> Worked(IReadOnlyList<StubShift> shifts) => shifts.Select(s => s.Shift).ToList();

    private Task<IReadOnlyList<StubShift>> ShiftsAsync(PayProfile profile, DateRange dates, CancellationToken cancellationToken) =>
        TimecardReads.StubShiftsAsync(dataSource, profile.UserId, dates, profile.KeyOf, profile.Zone, cancellationToken);
}
