using System.Text.Json.Serialization;

namespace PayTrack.Web.Pay;

[JsonConverter(typeof(JsonStringEnumConverter<CapStatus>))]
public enum CapStatus
{
    /// <summary>The cap is 0: no limit is tracked.</summary>
    [JsonStringEnumMemberName("off")]
    Off,

    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>At most the near-cap margin left, the cap itself included (the meter turns amber).</summary>
    [JsonStringEnumMemberName("near")]
    Near,

    /// <summary>More hours than the cap (the meter turns red).</summary>
    [JsonStringEnumMemberName("over")]
    Over,
}

/// <summary>The weekly-cap meter of one workweek; hours to the hundredth, <see cref="HoursLeft"/> null when the cap is off.</summary>
public sealed record CapReading(
    [property: JsonPropertyName("cap_hours")] decimal CapHours,
    [property: JsonPropertyName("hours_worked")] decimal HoursWorked,
    [property: JsonPropertyName("hours_left")] decimal? HoursLeft,
    [property: JsonPropertyName("status")] CapStatus Status);

/// <summary>Hours against the weekly cap, counted per workweek across all jobs, in the same minutes pay counts.</summary>
public static class WeeklyCap
{
    public static CapReading Read(int minutesWorked, PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var worked = PayRounding.ToHours(minutesWorked);
        if (options.WeeklyCapHours == 0m)
        {
            return new CapReading(0m, worked, null, CapStatus.Off);
        }

        // Compared in minutes, unrounded, so 20 h 0.4 min is over a 20 h cap even though it shows as 20.00 h.
        var capMinutes = options.WeeklyCapHours * 60m;
        var leftMinutes = capMinutes - minutesWorked;
        var status = leftMinutes < 0m ? CapStatus.Over
            : leftMinutes <= options.NearCapMarginHours * 60m ? CapStatus.Near
            : CapStatus.Ok;
        var left = Math.Round(Math.Max(leftMinutes, 0m) / 60m, 2, MidpointRounding.AwayFromZero);
        return new CapReading(options.WeeklyCapHours, worked, left, status);
    }
}
