using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>The in-session and break caps, with Sunday-to-Saturday workweeks.</summary>
public sealed class TermCapTests
{
    private static readonly Term Fall = new("Fall 2025", D(2025, 8, 25), D(2025, 12, 12));
    private static readonly Term Spring = new("Spring 2026", D(2026, 1, 12), D(2026, 5, 8));
    private static readonly TermCalendar Terms = new([Spring, Fall]);

    [Fact]
    public void TheCapSwitchesToTheBreakCapTheWeekAfterATermsLastDay()
    {
        // Fall 2025 ends on Friday 2025-12-12. The week of Sunday 12-07 holds that day: in session, 20 h.
        // The week of Sunday 12-14 has no term day: the break cap, 40 h. 25 h each week:
        // 25 > 20 is over the cap in the first; 40 - 25 = 15 h left in the second.
        var calculator = new PayCalculator(new PayOptions(), Rates((Library, 15m)), Terms);
        var shifts = new[]
        {
            Worked(Library, D(2025, 12, 8), 8m), Worked(Library, D(2025, 12, 10), 8m), Worked(Library, D(2025, 12, 12), 9m),
            Worked(Library, D(2025, 12, 15), 8m), Worked(Library, D(2025, 12, 17), 8m), Worked(Library, D(2025, 12, 19), 9m),
        };

        var summary = calculator.Summarize(new DateRange(D(2025, 12, 7), D(2025, 12, 20)), shifts);

        var lastTermWeek = summary.Workweeks[0].Cap;
        Assert.Equal(CapKind.Term, lastTermWeek.Kind);
        Assert.Equal(20m, lastTermWeek.CapHours);
        Assert.Equal(CapStatus.Over, lastTermWeek.Status);
        Assert.Contains("Fall 2025 ends on Friday, December 12", lastTermWeek.Reason, StringComparison.Ordinal);

        var breakWeek = summary.Workweeks[1].Cap;
        Assert.Equal(CapKind.Break, breakWeek.Kind);
        Assert.Equal(40m, breakWeek.CapHours);
        Assert.Equal(15m, breakWeek.HoursLeft);
        Assert.Equal(CapStatus.Ok, breakWeek.Status);
        Assert.Contains("Break between Fall 2025 and Spring 2026", breakWeek.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWeekATermStartsIsInSessionAndTheWeekBeforeIsABreak()
    {
        var options = new PayOptions { WeeklyCapHours = 20m, BreakCapHours = 30m };

        Assert.Equal(new CapChoice(30m, CapKind.Break, "Break between Fall 2025 and Spring 2026 (classes resume January 12), so the break cap applies."),
            Terms.CapFor(new DateRange(D(2026, 1, 4), D(2026, 1, 10)), options));
        var start = Terms.CapFor(new DateRange(D(2026, 1, 11), D(2026, 1, 17)), options);
        Assert.Equal((20m, CapKind.Term), (start.CapHours, start.Kind));
    }

    [Fact]
    public void ABreakCapOfZeroTurnsTheMeterOffInBreaksOnly()
    {
        var options = new PayOptions { BreakCapHours = 0m };
        var choice = Terms.CapFor(new DateRange(D(2025, 12, 21), D(2025, 12, 27)), options);

        var reading = WeeklyCap.Read(45 * 60, choice, options);

        Assert.Equal(CapStatus.Off, reading.Status);
        Assert.Equal(CapKind.Break, reading.Kind);
        Assert.Equal(CapStatus.Over, WeeklyCap.Read(45 * 60, Terms.CapFor(new DateRange(D(2025, 12, 7), D(2025, 12, 13)), options), options).Status);
    }

    [Fact]
    public void WithNoTermsEveryWeekIsInSession()
    {
        var choice = TermCalendar.None.CapFor(new DateRange(D(2025, 7, 6), D(2025, 7, 12)), new PayOptions());

        Assert.Equal((20m, CapKind.Term), (choice.CapHours, choice.Kind));
    }

    [Theory]
    [InlineData("", 2025, 1, 1, 2025, 5, 1, "Give the term a name, for example Fall 2025.")]
    [InlineData("Fall", 2025, 12, 1, 2025, 8, 1, "A term's last day cannot be before its first day.")]
    [InlineData("Fall", 2025, 1, 1, 2026, 6, 1, "A term lasts at most a year.")]
    public void ABadTermGetsOneSentence(string name, int y1, int m1, int d1, int y2, int m2, int d2, string message) =>
        Assert.Equal(message, Term.Problem(name, D(y1, m1, d1), D(y2, m2, d2)));
}
