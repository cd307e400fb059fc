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
    [property: JsonPropertyName("status")] CapStatus Status)
{
    /// <summary>In session (<see cref="CapKind.Term"/>) or a break.</summary>
    [JsonPropertyName("kind")]
    public CapKind Kind { get; init; } = CapKind.Term;

    /// <summary>Why this cap applies to the week, in words for the dashboard.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}

/// <summary>Hours against the weekly cap, counted per workweek across all jobs, in the same minutes pay counts.</summary>
public static class WeeklyCap
{
    public static CapReading Read(int minutesWorked, PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Read(minutesWorked, options.WeeklyCapHours, options.NearCapMarginHours);
    }

    /// <summary>The meter against the cap <paramref name="choice"/> chose for the week (in session or a break).</summary>
    public static CapReading Read(int minutesWorked, CapChoice choice, PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(options);
        return Read(minutesWorked, choice.CapHours, options.NearCapMarginHours) with { Kind = choice.Kind, Reason = choice.Reason };
    }

    private static CapReading Read(int minutesWorked, decimal capHours, decimal nearMarginHours)
    {
        var worked = PayRounding.ToHours(minutesWorked);
        if (capHours == 0m)
        {
            return new CapReading(0m, worked, null, CapStatus.Off);
        }

        // Compared in minutes, unrounded, so 20 h 0.4 min is over a 20 h cap even though it shows as 20.00 h.
        var capMinutes = capHours * 60m;
        var leftMinutes = capMinutes - minutesWorked;
        var status = leftMinutes < 0m ? CapStatus.Over
            : leftMinutes <= nearMarginHours * 60m ? CapStatus.Near
            : CapStatus.Ok;
        var left = Math.Round(Math.Max(leftMinutes, 0m) / 60m, 2, MidpointRounding.AwayFromZero);
        return new CapReading(capHours, worked, left, status);
    }
}
