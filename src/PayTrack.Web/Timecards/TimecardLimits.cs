using System.Globalization;

namespace PayTrack.Web.Timecards;

/// <summary>
/// The values the pay rules can work with, checked where data enters (sync, import, forms): times in a span PayTrack
/// can place in a workweek and a time zone, wages a paycheck can hold, texts a page can show. A value outside them is
/// refused with a sentence that says what was expected, so a stored row never breaks the pages of its account.
/// </summary>
public static class TimecardLimits
{
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Highest hourly wage; more is a typo (a yearly salary, a misplaced decimal point).</summary>
    public const decimal MaxHourlyRate = 1000m;

    /// <summary>The longest a punch may last from in to out; longer ones are flagged anyway, this bounds the arithmetic.</summary>
    public static readonly TimeSpan MaxPunchLength = TimeSpan.FromDays(7);

    /// <summary>How far a rounded time may be from the time it rounds.</summary>
    public static readonly TimeSpan MaxRounding = TimeSpan.FromHours(24);

    public const int MaxIdLength = 100;

    public const int MaxNameLength = 200;

    public const int MaxZoneLength = 64;

    public const int MaxNoteLength = 500;

    public const string InstantWords = "a date and time between 1970 and 2100";

    public static bool InRange(DateTimeOffset instant) => instant >= Earliest && instant < Latest;

    public static bool InRange(DateOnly date) => date.Year is >= 1970 and < 2100;

    public static string? Wage(decimal? rate) =>
        rate is < 0m or > MaxHourlyRate
            ? string.Create(CultureInfo.InvariantCulture, $"Expected an hourly wage from 0 to {MaxHourlyRate:N0} dollars; found {rate}.")
            : null;

    public static string? Text(string? value, int max, string what) =>
        value is { Length: var length } && length > max
            ? string.Create(CultureInfo.InvariantCulture, $"Expected {what} of at most {max} characters; found {length:N0}.")
            : null;

    public static string Instant(DateTimeOffset found) =>
        string.Create(CultureInfo.InvariantCulture, $"Expected {InstantWords}; found {found:yyyy-MM-dd}.");
}
