using System.Text.Json.Serialization;

namespace PayTrack.Web.Data;

/// <summary>How a user's pay periods run; a stored setting (see Pay/PayCalendar for the dates it gives).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PayPeriodKind>))]
public enum PayPeriodKind
{
    [JsonStringEnumMemberName("weekly")]
    Weekly,

    [JsonStringEnumMemberName("biweekly")]
    Biweekly,

    /// <summary>The 1st to the 15th, then the 16th to the month's last day.</summary>
    [JsonStringEnumMemberName("semi_monthly")]
    SemiMonthly,
}
