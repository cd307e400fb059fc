using Npgsql;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>What the charts page was asked for: the day whose week or pay period to show, and the heatmap's year.</summary>
public sealed record ChartsRequest(DateOnly? Date, bool PayPeriod, int? Year);

public sealed record ChartsModel(
    PayProfile Profile,
    DateOnly Selected,
    bool PayPeriod,
    PaySummary Span,
    PaySummary Weeks,
    int Year,
    IReadOnlyDictionary<DateOnly, int> YearDayMinutes,
    DateRange TimelineWeek,
    IReadOnlyList<WorkedShift> Timeline,
    int[][] WeekdayHourMinutes);

/// <summary>
/// The charts page's reads: the profile, then in one round trip every shift of the selected span and of the 52 weeks
/// up to it, and the daily minutes of the heatmap's year summed in the database.
/// </summary>
public sealed class ChartQueries(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    public async Task<ChartsModel> LoadAsync(DashboardSubject subject, ChartsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, subject, cancellationToken);
        var calculator = profile.Calculator;
        var calendar = calculator.Calendar;
        var selected = request.Date ?? profile.Today;
        var span = request.PayPeriod ? calendar.PeriodContaining(selected).Dates : calendar.WorkweekContaining(selected);
        var week = calendar.WorkweekContaining(selected);
        var weeks = new DateRange(week.Start.AddDays(-51 * 7), week.End);
        var year = request.Year is >= 1900 and <= 9000 ? request.Year.Value : selected.Year;
        var neededSpan = calculator.ShiftDatesNeededFor(span);
        var neededWeeks = calculator.ShiftDatesNeededFor(weeks);
        var needed = new DateRange(Min(neededSpan.Start, neededWeeks.Start), Max(neededSpan.End, neededWeeks.End));

        IReadOnlyList<WorkedShift> shifts;
        IReadOnlyDictionary<DateOnly, int> yearDays;
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(TimecardReads.PerShift(profile.UserId, needed));
            batch.BatchCommands.Add(TimecardReads.DayMinutes(profile.UserId, new DateRange(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)), profile.Options.UseRoundedTimes));
            await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
            shifts = await TimecardReads.ReadPerShiftAsync(reader, profile.KeyOf, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            yearDays = await TimecardReads.ReadDayMinutesAsync(reader, cancellationToken);
        }

        var timeline = shifts.Where(s => week.Contains(s.LocalDate)).OrderBy(s => s.StartUtc).ToList();

        return new ChartsModel(
            profile,
            selected,
            request.PayPeriod,
            calculator.Summarize(span, shifts),
            calculator.Summarize(weeks, shifts),
            year,
            yearDays,
            week,
            timeline,
            WeekdayHours(shifts.Where(s => weeks.Contains(s.LocalDate)), profile.Zone));
    }

    /// <summary>Minutes worked in each hour of each weekday (Sunday first), by the local clock.</summary>
    public static int[][] WeekdayHours(IEnumerable<WorkedShift> shifts, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var grid = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var shift in shifts)
        {
            if (shift.EndUtc is not { } end)
            {
                continue;
            }

            // Walk the shift one clock hour at a time, in UTC, so a daylight-saving night counts its real minutes.
            var cursor = shift.StartUtc;
            while (cursor < end)
            {
                var local = TimeZoneInfo.ConvertTime(cursor, zone);
                var nextHour = cursor.AddMinutes(60 - local.Minute).AddSeconds(-local.Second).AddTicks(-(local.Ticks % TimeSpan.TicksPerSecond));
                var slice = (nextHour < end ? nextHour : end) - cursor;
                grid[(int)local.DayOfWeek][local.Hour] += (int)Math.Round(slice.TotalMinutes);
                cursor = nextHour < end ? nextHour : end;
            }
        }

        return grid;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
