using PayTrack.Web.Pay;

namespace PayTrack.Tests.Pay;

/// <summary>Shifts and settings for the worked examples, written in local dates and hours as a timecard reads.</summary>
internal static class PayExamples
{
    public const string Library = "10234/7";
    public const string Dining = "10234/9";

    public static DateOnly D(int year, int month, int day) => new(year, month, day);

    /// <summary>A closed shift attributed to <paramref name="date"/>, starting at <paramref name="startHour"/> (UTC, for ordering only).</summary>
    public static WorkedShift Worked(string job, DateOnly date, decimal hours, int startHour = 9) =>
        WorkedMinutes(job, date, (int)(hours * 60m), startHour);

    public static WorkedShift WorkedMinutes(string job, DateOnly date, int minutes, int startHour = 9, int? roundedMinutes = null)
    {
        var start = new DateTimeOffset(date.ToDateTime(new TimeOnly(startHour, 0)), TimeSpan.Zero);
        return new WorkedShift(job, date, start, start.AddMinutes(minutes), minutes, roundedMinutes);
    }

    public static PayRateTable Rates(params (string Job, decimal Rate)[] baseWages) =>
        new(baseWages.ToDictionary(w => w.Job, w => w.Rate, StringComparer.Ordinal));

    public static PayCalculator Calculator(PayOptions? options = null, PayRateTable? rates = null) =>
        new(options ?? new PayOptions(), rates ?? Rates((Library, 15m)));
}
