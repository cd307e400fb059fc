namespace PayTrack.Web.Timecards;

/// <summary>Local wall-clock times (what a person types) to UTC instants, across daylight-saving changes.</summary>
public static class LocalTimes
{
    /// <summary>
    /// The instant a wall-clock time names in a zone. On the night clocks fall back, a time that happens twice means
    /// its first occurrence; on the night they spring forward, a time that never happens is read with the offset
    /// before the change (02:30 becomes 03:30), as a clock that was not moved would show it.
    /// </summary>
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddDays(-1));
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>A shift typed as a date with start and end clock times; an end at or before the start is on the next day.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) ShiftInstants(DateOnly date, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        var startAt = ToInstant(date, start, zone);
        var endAt = ToInstant(end > start ? date : date.AddDays(1), end, zone);
        return (startAt, endAt);
    }
}
