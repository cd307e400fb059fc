using System.Globalization;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Notion;

/// <summary>
/// What a user's Notion databases should hold now: one page per shift and one per workweek from the first shift's
/// week to the last one's, with the pay PayTrack computes (the user's settings, rates and overtime rule). Read from
/// the database and computed in memory; no call to Notion.
/// </summary>
public sealed class NotionDesiredState(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    public async Task<IReadOnlyList<DesiredPage>> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, new DashboardSubject(userId, IsDemo: false, FixedToday: null), cancellationToken);
        var rows = await TimecardReads.PaidShiftsAsync(connection, userId, profile.KeyOf, cancellationToken);
        return Compute(profile, rows);
    }

    private static List<DesiredPage> Compute(PayProfile profile, IReadOnlyList<PaidShiftRow> rows)
    {
        var pages = new List<DesiredPage>(rows.Count + 60);
        if (rows.Count == 0)
        {
            return pages;
        }

        var calculator = profile.Calculator;
        var byWorked = rows.ToDictionary<PaidShiftRow, WorkedShift>(r => r.Worked, ReferenceEqualityComparer.Instance);
        var byWeek = rows.ToLookup(r => calculator.Calendar.WorkweekContaining(r.Date).Start);
        var weeks = calculator.Calendar.WorkweeksOverlapping(new DateRange(rows[0].Date, rows[^1].Date));
        foreach (var week in weeks)
        {
            var pay = calculator.Workweek(week.Start, byWeek[week.Start].Select(r => r.Worked));
            foreach (var share in pay.Shifts)
            {
                var row = byWorked[share.Shift];
                pages.Add(ShiftPage(profile, row, share));
            }

            var cap = calculator.CapFor(pay);
            decimal? underCap = cap.Status == CapStatus.Off ? null : cap.CapHours - cap.HoursWorked;
            var period = calculator.Calendar.PeriodContaining(week.Start);
            pages.Add(NotionSchema.Week(week.Start, PayRounding.ToHours(pay.Minutes), PayRounding.ToHours(pay.OvertimeMinutes),
                PayRounding.ToCents(pay.GrossPay), underCap,
                string.Create(CultureInfo.InvariantCulture, $"{period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}, paid {period.Payday:yyyy-MM-dd}")));
        }

        return pages;
    }

    private static DesiredPage ShiftPage(PayProfile profile, PaidShiftRow row, ShiftPay share)
    {
        var status = row.Status switch
        {
            ShiftStatus.MissingOut => "missing out-punch",
            ShiftStatus.Anomaly => "anomaly",
            _ => "ok",
        };
        var job = profile.Job(row.JobId)?.Label ?? profile.JobLabel(share.JobKey);
        return NotionSchema.Shift(row.Id, job, row.Date, profile.LocalTime(row.Worked.StartUtc),
            row.Worked.EndUtc is { } end ? profile.LocalTime(end) : null,
            PayRounding.ToHours(row.Worked.ActualMinutes), PayRounding.ToHours(share.Minutes), PayRounding.ToCents(share.GrossPay),
            status, DbNames.Of(row.Source));
    }
}
