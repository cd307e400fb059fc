using System.Globalization;
using System.Text.Json.Serialization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>A school term: its first and last local day, both included. Breaks are the days between terms.</summary>
public sealed record Term(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("first_day")] DateOnly FirstDay,
    [property: JsonPropertyName("last_day")] DateOnly LastDay)
{
    public const int MaxNameLength = UserTerm.MaxNameLength;

    public DateRange Dates => new(FirstDay, LastDay);

    /// <summary>What is wrong with a term typed by a user, in plain words; null when it is usable.</summary>
    public static string? Problem(string? name, DateOnly firstDay, DateOnly lastDay)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the term a name, for example Fall 2025.";
        }

        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return $"A term's name is at most {MaxNameLength} characters of plain text.";
        }

        if (firstDay.Year is < 1900 or > 9000 || lastDay.Year is < 1900 or > 9000)
        {
            return "A term's days must be between the years 1900 and 9000.";
        }

        if (lastDay < firstDay)
        {
            return "A term's last day cannot be before its first day.";
        }

        return lastDay.DayNumber - firstDay.DayNumber > 366 ? "A term lasts at most a year." : null;
    }
}

/// <summary>The kind of weekly cap a workweek falls under.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapKind>))]
public enum CapKind
{
    /// <summary>School is in session: the in-session cap (<see cref="PayOptions.WeeklyCapHours"/>).</summary>
    [JsonStringEnumMemberName("term")]
    Term,

    /// <summary>No day of the workweek is in a term: the break cap (<see cref="PayOptions.BreakCapHours"/>).</summary>
    [JsonStringEnumMemberName("break")]
    Break,
}

/// <summary>The cap of one workweek, which kind it is and why, in words for the dashboard.</summary>
public sealed record CapChoice(decimal CapHours, CapKind Kind, string Reason);

/// <summary>
/// A user's terms, and what follows from them: which cap applies to a workweek, and the breaks between terms.
/// </summary>
public sealed class TermCalendar
{
    /// <summary>
    /// F-1 students may work at most 20 hours a week while school is in session and full time during breaks
    /// (8 CFR 214.2(f)(9)(i)); many schools set the same limits for every student employee.
    /// </summary>
    public const string CapSource = "8 CFR 214.2(f)(9)(i): up to 20 hours a week while school is in session, full time during breaks.";

    public TermCalendar(IEnumerable<Term> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Terms = terms.OrderBy(t => t.FirstDay).ThenBy(t => t.LastDay).ToList();
    }

    public static TermCalendar None { get; } = new([]);

    public IReadOnlyList<Term> Terms { get; }

    public Term? TermOn(DateOnly day) => Terms.FirstOrDefault(t => t.Dates.Contains(day));

    /// <summary>
    /// The cap of <paramref name="workweek"/>. With no terms entered every week is in session (the cap PayTrack
    /// always had). A week with at least one day of a term is in session, the safe reading for a week that holds a
    /// term's first or last day; a week with none is a break.
    /// </summary>
    public CapChoice CapFor(DateRange workweek, PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Terms.Count == 0)
        {
            return new CapChoice(options.WeeklyCapHours, CapKind.Term,
                "No terms are entered, so the in-session cap applies every week. Add your terms on the settings page.");
        }

        var term = Terms.FirstOrDefault(t => t.Dates.Overlaps(workweek));
        if (term is not null)
        {
            var why = term.LastDay <= workweek.End
                ? string.Create(CultureInfo.InvariantCulture, $"{term.Name} ends on {term.LastDay:dddd, MMMM d} this week, so the in-session cap still applies.")
                : term.FirstDay >= workweek.Start
                    ? string.Create(CultureInfo.InvariantCulture, $"{term.Name} starts on {term.FirstDay:dddd, MMMM d} this week, so the in-session cap applies.")
                    : string.Create(CultureInfo.InvariantCulture, $"{term.Name} is in session (until {term.LastDay:MMMM d, yyyy}), so the in-session cap applies.");
            return new CapChoice(options.WeeklyCapHours, CapKind.Term, why);
        }

        var before = Terms.LastOrDefault(t => t.LastDay < workweek.Start);
        var after = Terms.FirstOrDefault(t => t.FirstDay > workweek.End);
        var reason = (before, after) switch
        {
            ({ } b, { } a) => string.Create(CultureInfo.InvariantCulture, $"Break between {b.Name} and {a.Name} (classes resume {a.FirstDay:MMMM d}), so the break cap applies."),
            ({ } b, null) => string.Create(CultureInfo.InvariantCulture, $"{b.Name} ended on {b.LastDay:MMMM d, yyyy} and no later term is entered, so the break cap applies."),
            (null, { } a) => string.Create(CultureInfo.InvariantCulture, $"Before {a.Name} starts on {a.FirstDay:MMMM d, yyyy}, so the break cap applies."),
            _ => "No term this week, so the break cap applies.",
        };
        return new CapChoice(options.BreakCapHours, CapKind.Break, reason);
    }

    /// <summary>
    /// The break containing <paramref name="day"/> when it lies between two terms: its days, both included. Null
    /// when the day is in a term, or before the first or after the last term (a break of unknown length).
    /// </summary>
    public DateRange? BreakAround(DateOnly day)
    {
        if (TermOn(day) is not null)
        {
            return null;
        }

        var before = Terms.Where(t => t.LastDay < day).MaxBy(t => t.LastDay);
        var after = Terms.Where(t => t.FirstDay > day).MinBy(t => t.FirstDay);
        return before is null || after is null ? null : new DateRange(before.LastDay.AddDays(1), after.FirstDay.AddDays(-1));
    }
}
