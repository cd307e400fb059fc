using System.Globalization;

namespace PayTrack.Web.Sync;

/// <summary>Times on the admin pages: in the jobs' time zone (the daily run's), which an operator thinks in.</summary>
public static class AdminTime
{
    public static TimeZoneInfo Zone(SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public static string Format(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalSeconds < 60
        ? span.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture)
        : span.TotalMinutes < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
}
