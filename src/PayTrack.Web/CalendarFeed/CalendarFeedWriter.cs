using System.Globalization;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.CalendarFeed;

/// <summary>
/// Writes a user's shifts as an RFC 5545 calendar: one event per shift, in UTC, with a stable UID so a calendar
/// app updates an event when its shift changes. A shift with a problem (missing out-punch, anomaly, edited by the
/// employer) says so first in its title and carries the category "Problem"; an open shift has no end.
/// </summary>
public static class CalendarFeedWriter
{
    public const string ProblemCategory = "Problem";

    public static string Write(IEnumerable<FeedShift> shifts, string timeZoneId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var calendar = new Ical.Net.Calendar { ProductId = "-//PayTrack//Shifts//EN" };
        calendar.AddProperty("X-WR-CALNAME", "PayTrack shifts");
        calendar.AddProperty("X-WR-TIMEZONE", timeZoneId);
        foreach (var shift in shifts)
        {
            var problem = Problem(shift);
            var hours = (shift.PaidMinutes / 60m).ToString("0.00", CultureInfo.InvariantCulture);
            var e = new CalendarEvent
            {
                Uid = string.Create(CultureInfo.InvariantCulture, $"shift-{shift.Id}@paytrack"),
                DtStamp = Utc(now),
                Start = Utc(shift.Start),
                Summary = problem is null ? $"{shift.JobLabel} · {hours} h" : $"⚠ {problem}: {shift.JobLabel}",
                Description = string.Join("\n", new[] { problem is null ? $"{hours} hours paid." : shift.Note ?? problem, "Estimates, not legal or tax advice." }),
            };
            if (shift.End is { } end && end >= shift.Start)
            {
                e.End = Utc(end);
            }

            if (problem is not null)
            {
                e.Categories = [ProblemCategory];
            }

            calendar.Events.Add(e);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static string? Problem(FeedShift shift) => shift.Status switch
    {
        ShiftStatus.MissingOut => "Missing out-punch",
        ShiftStatus.Anomaly => "Needs a look",
        ShiftStatus.Edited => "Edited by your employer",
        _ => shift.End is null ? "Missing out-punch" : null,
    };

    private static CalDateTime Utc(DateTimeOffset instant) => new(instant.UtcDateTime, CalDateTime.UtcTzId);
}
