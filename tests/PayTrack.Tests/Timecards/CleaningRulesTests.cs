using PayTrack.Web.Data;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Timecards;

public sealed class CleaningRulesTests
{
    private static readonly CleaningRules Rules = new(TimeSpan.FromHours(12));

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    private static DateTimeOffset Local(string zone, int year, int month, int day, int hour, int minute) =>
        LocalTimes.ToInstant(new DateOnly(year, month, day), new TimeOnly(hour, minute), CleaningRules.FindZone(zone)!);

    private static RawPunch Punch(DateTimeOffset inAt, DateTimeOffset? outAt, string endReason = "normal", string? zone = "America/New_York", bool edited = false,
        DateTimeOffset? inRounded = null, DateTimeOffset? outRounded = null) =>
        new() { UserId = "rules", PunchKey = "p", InAt = inAt, OutAt = outAt, EndReason = endReason, InRounded = inRounded, OutRounded = outRounded, TimeZone = zone, Edited = edited };

    /// <summary>A shift as the overlap rule reads it: its job, its times, whether the user entered it.</summary>
    private static Shift Span(long jobId, DateTimeOffset startAt, DateTimeOffset? endAt, bool manual, string zone) =>
        new() { UserId = "rules", JobId = jobId, StartAt = startAt, EndAt = endAt, Source = manual ? ShiftSource.Manual : ShiftSource.Kronos, TimeZone = zone };

    // 00:30 to 03:30 on the nights clocks fall back: 01:00-02:00 happens twice, so four hours pass.
    [Theory]
    [InlineData("America/New_York", 2023, 11, 5)]
    [InlineData("America/New_York", 2024, 11, 3)]
    [InlineData("America/Los_Angeles", 2023, 11, 5)]
    [InlineData("America/Los_Angeles", 2024, 11, 3)]
    [InlineData("America/Denver", 2024, 11, 3)]
    public void ShiftOnTheFallBackNightLastsFourHours(string zone, int year, int month, int day)
    {
        var tz = CleaningRules.FindZone(zone)!;
        var start = Local(zone, year, month, day, 0, 30);
        var end = Local(zone, year, month, day, 3, 30);

        var shift = Rules.FromPunch(Punch(start, end, zone: zone), "America/New_York");

        Assert.Equal(240, shift.WorkedMinutes);
        Assert.Equal(240, shift.PaidMinutes);
        Assert.Equal(new DateOnly(year, month, day), shift.LocalDate);
        Assert.Equal(ShiftStatus.Complete, shift.Status);
        Assert.Equal(tz.GetUtcOffset(start) - TimeSpan.FromHours(1), tz.GetUtcOffset(end));
    }

    [Theory]
    [InlineData("America/New_York", 2023, 3, 12)]
    [InlineData("America/New_York", 2024, 3, 10)]
    [InlineData("America/Los_Angeles", 2023, 3, 12)]
    [InlineData("America/Los_Angeles", 2024, 3, 10)]
    [InlineData("America/Denver", 2023, 3, 12)]
    public void ShiftOnTheSpringForwardNightLastsTwoHours(string zone, int year, int month, int day)
    {
        var start = Local(zone, year, month, day, 0, 30);
        var end = Local(zone, year, month, day, 3, 30);

        var shift = Rules.FromPunch(Punch(start, end, zone: zone), "America/New_York");

        Assert.Equal(120, shift.WorkedMinutes);
        Assert.Equal(new DateOnly(year, month, day), shift.LocalDate);
    }

    [Fact]
    public void TheSameUtcPunchBelongsToTheLocalDateOfItsOwnZone()
    {
        // 02:30 UTC on Sept 6 is the evening of Sept 5 in New York and in Los Angeles.
        var punch = Punch(Utc("2023-09-06T02:30:00Z"), Utc("2023-09-06T05:00:00Z"), zone: "America/Los_Angeles");

        Assert.Equal(new DateOnly(2023, 9, 5), Rules.FromPunch(punch, "America/New_York").LocalDate);
        punch.TimeZone = "Europe/Berlin";
        Assert.Equal(new DateOnly(2023, 9, 6), Rules.FromPunch(punch, "America/New_York").LocalDate);
    }

    [Fact]
    public void ShiftAcrossMidnightBelongsToTheDayItStarted()
    {
        var shift = Rules.FromPunch(Punch(Local("America/New_York", 2023, 9, 8, 22, 0), Local("America/New_York", 2023, 9, 9, 2, 0)), "America/New_York");

        Assert.Equal(new DateOnly(2023, 9, 8), shift.LocalDate);
        Assert.Equal(240, shift.WorkedMinutes);
    }

    [Fact]
    public void PunchWithoutZoneUsesTheConnectionsZone()
    {
        var punch = Punch(Utc("2024-01-10T03:00:00Z"), Utc("2024-01-10T06:00:00Z"), zone: null);

        var inChicago = Rules.FromPunch(punch, "America/Chicago");
        var inLondon = Rules.FromPunch(punch, "Europe/London");

        Assert.Equal(("America/Chicago", new DateOnly(2024, 1, 9)), (inChicago.TimeZone, inChicago.LocalDate));
        Assert.Equal(("Europe/London", new DateOnly(2024, 1, 10)), (inLondon.TimeZone, inLondon.LocalDate));
    }

    [Fact]
    public void MissedOutPunchIsFlaggedAndCountsZeroUntilFixed()
    {
        var open = Rules.FromPunch(Punch(Utc("2023-10-02T13:00:00Z"), null, "missedOut"), "America/New_York");

        Assert.Equal(ShiftStatus.MissingOut, open.Status);
        Assert.Equal(0, open.WorkedMinutes);
        Assert.Equal(0, open.PaidMinutes);
        Assert.Contains("0 hours", open.Note, StringComparison.Ordinal);

        var fixedPunch = Rules.FromPunch(Punch(Utc("2023-10-02T13:00:00Z"), Utc("2023-10-02T17:00:00Z"), "normal", edited: true), "America/New_York");

        Assert.Equal(ShiftStatus.Edited, fixedPunch.Status);
        Assert.Equal(240, fixedPunch.WorkedMinutes);
        Assert.True(fixedPunch.Edited);
        Assert.Null(fixedPunch.Note);
    }

    [Fact]
    public void PaidMinutesFollowTheRoundedTimes()
    {
        var shift = Rules.FromPunch(Punch(
            Utc("2023-09-05T13:58:00Z"), Utc("2023-09-05T17:02:00Z"),
            inRounded: Utc("2023-09-05T14:00:00Z"), outRounded: Utc("2023-09-05T17:00:00Z")), "America/New_York");

        Assert.Equal(184, shift.WorkedMinutes);
        Assert.Equal(180, shift.PaidMinutes);
        Assert.Equal(ShiftStatus.Complete, shift.Status);
    }

    [Fact]
    public void WorkedTimeIsRoundedToTheNearestMinute()
    {
        var shift = Rules.FromPunch(Punch(Utc("2023-09-05T13:58:29Z"), Utc("2023-09-05T17:02:00Z")), "America/New_York");

        Assert.Equal(184, shift.WorkedMinutes);
        Assert.Equal(182, Rules.FromPunch(Punch(Utc("2023-09-05T13:58:31Z"), Utc("2023-09-05T17:01:00Z")), "America/New_York").WorkedMinutes);
    }

    [Theory]
    [InlineData("autoClockOut", true)]
    [InlineData("autoClockOut", false)]
    [InlineData("MISSEDOUT", false)]
    public void UnknownEndReasonIsKeptAsAnAnomaly(string endReason, bool closed)
    {
        var shift = Rules.FromPunch(Punch(Utc("2023-09-05T13:00:00Z"), closed ? Utc("2023-09-05T15:00:00Z") : null, endReason), "America/New_York");

        Assert.Equal(ShiftStatus.Anomaly, shift.Status);
        Assert.Contains($"Unknown end reason '{endReason}'", shift.Note, StringComparison.Ordinal);
        Assert.Equal(closed ? 120 : 0, shift.WorkedMinutes);
    }

    [Fact]
    public void ShiftLongerThanTheLimitIsKeptAndFlagged()
    {
        var punch = Punch(Utc("2023-09-05T12:00:00Z"), Utc("2023-09-06T01:05:00Z"));

        var shift = Rules.FromPunch(punch, "America/New_York");

        Assert.Equal(ShiftStatus.Anomaly, shift.Status);
        Assert.Equal(785, shift.WorkedMinutes);
        Assert.Equal("Longer than 12 h (13 h 05 min): check the punches.", shift.Note);
        Assert.Equal(ShiftStatus.Complete, new CleaningRules(TimeSpan.FromHours(14)).FromPunch(punch, "America/New_York").Status);
        Assert.Equal(ShiftStatus.Anomaly, new CleaningRules(TimeSpan.FromHours(8)).FromPunch(Punch(Utc("2023-09-05T12:00:00Z"), Utc("2023-09-05T21:00:00Z")), "America/New_York").Status);
    }

    [Fact]
    public void NegativeAndZeroDurationsAreAnomaliesWorthNothing()
    {
        var backwards = Rules.FromPunch(Punch(Utc("2023-09-05T17:00:00Z"), Utc("2023-09-05T13:00:00Z")), "America/New_York");
        var zero = Rules.FromPunch(Punch(Utc("2023-09-05T17:00:00Z"), Utc("2023-09-05T17:00:00Z")), "America/New_York");

        Assert.Equal((ShiftStatus.Anomaly, 0, 0), (backwards.Status, backwards.WorkedMinutes, backwards.PaidMinutes));
        Assert.Equal("The out-punch (09:00) is before the in-punch (13:00): no time counted.", backwards.Note);
        Assert.Equal((ShiftStatus.Anomaly, 0), (zero.Status, zero.WorkedMinutes));
    }

    [Fact]
    public void UnknownZoneFallsBackToTheConnectionsZoneAndIsFlagged()
    {
        var shift = Rules.FromPunch(Punch(Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T15:00:00Z"), zone: "Mars/Olympus_Mons"), "America/New_York");

        Assert.Equal(ShiftStatus.Anomaly, shift.Status);
        Assert.Equal("America/New_York", shift.TimeZone);
        Assert.Contains("Unknown time zone 'Mars/Olympus_Mons'", shift.Note, StringComparison.Ordinal);
        Assert.Equal(120, shift.WorkedMinutes);
    }

    [Fact]
    public void OverlappingShiftsOfOneJobAreBothFlagged()
    {
        Shift[] spans =
        [
            Span(1, Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T17:00:00Z"), false, "America/New_York"),
            Span(1, Utc("2023-09-05T16:00:00Z"), Utc("2023-09-05T19:00:00Z"), false, "America/New_York"),
            Span(1, Utc("2023-09-05T19:00:00Z"), Utc("2023-09-05T21:00:00Z"), false, "America/New_York"),
        ];

        var overlaps = CleaningRules.FindOverlaps(spans);

        Assert.Equal("Overlaps another punch of this job (2023-09-05 12:00–15:00).", overlaps[0]);
        Assert.Equal("Overlaps another punch of this job (2023-09-05 09:00–13:00).", overlaps[1]);
        Assert.Null(overlaps[2]);
    }

    [Fact]
    public void TwoJobsOnTheSameDayDoNotConflict()
    {
        Shift[] spans =
        [
            Span(1, Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T17:00:00Z"), false, "America/New_York"),
            Span(2, Utc("2023-09-05T17:00:00Z"), Utc("2023-09-05T21:00:00Z"), false, "America/New_York"),
            Span(2, Utc("2023-09-05T22:00:00Z"), Utc("2023-09-06T01:00:00Z"), false, "America/New_York"),
        ];

        Assert.All(CleaningRules.FindOverlaps(spans), Assert.Null);
    }

    [Fact]
    public void ManualShiftOverlappingAKronosPunchFlagsBothWithTheOtherSide()
    {
        Shift[] spans =
        [
            Span(7, Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T17:00:00Z"), false, "America/New_York"),
            Span(7, Utc("2023-09-05T14:00:00Z"), Utc("2023-09-05T16:00:00Z"), true, "America/New_York"),
            Span(7, Utc("2023-09-05T14:30:00Z"), null, false, "America/New_York"),
        ];

        var overlaps = CleaningRules.FindOverlaps(spans);

        Assert.Equal("Overlaps a shift you entered by hand (2023-09-05 10:00–12:00).", overlaps[0]);
        Assert.Equal("Overlaps a punch from the timecard (2023-09-05 09:00–13:00).", overlaps[1]);
        Assert.Null(overlaps[2]);
    }

    [Fact]
    public void OverlapMakesAnyShiftAnAnomalyAndKeepsItsEarlierReason()
    {
        var complete = Rules.FromPunch(Punch(Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T15:00:00Z")), "America/New_York");
        var overlong = Rules.FromPunch(Punch(Utc("2023-09-05T01:00:00Z"), Utc("2023-09-05T15:00:00Z")), "America/New_York");

        var flagged = CleaningRules.WithOverlap(complete, "Overlaps X.");
        var both = CleaningRules.WithOverlap(overlong, "Overlaps X.");

        Assert.Equal((ShiftStatus.Anomaly, "Overlaps X.", 120), (flagged.Status, flagged.Note, flagged.WorkedMinutes));
        Assert.Equal("Longer than 12 h (14 h): check the punches. Overlaps X.", both.Note);
    }

    [Fact]
    public void ManualShiftIsManualUnlessItMakesNoSense()
    {
        var manual = Rules.FromManual("rules", 1, Utc("2023-09-05T13:00:00Z"), Utc("2023-09-05T15:30:00Z"), "America/New_York");

        Assert.Equal((ShiftStatus.Manual, 150, 150, new DateOnly(2023, 9, 5)), (manual.Status, manual.WorkedMinutes, manual.PaidMinutes, manual.LocalDate));
        Assert.Equal(ShiftStatus.Anomaly, Rules.FromManual("rules", 1, Utc("2023-09-05T13:00:00Z"), Utc("2023-09-06T13:00:00Z"), "America/New_York").Status);
    }

    [Fact]
    public void TypedTimesOnDaylightSavingNightsMeanWhatAClockShows()
    {
        var newYork = CleaningRules.FindZone("America/New_York")!;

        // 01:30 happens twice on 2024-11-03: the first one (EDT) is meant.
        Assert.Equal(Utc("2024-11-03T05:30:00Z"), LocalTimes.ToInstant(new DateOnly(2024, 11, 3), new TimeOnly(1, 30), newYork));
        // 02:30 never happens on 2024-03-10: read with the offset before the change.
        Assert.Equal(Utc("2024-03-10T07:30:00Z"), LocalTimes.ToInstant(new DateOnly(2024, 3, 10), new TimeOnly(2, 30), newYork));
        var (start, end) = LocalTimes.ShiftInstants(new DateOnly(2023, 11, 4), new TimeOnly(22, 0), new TimeOnly(2, 0), newYork);
        Assert.Equal(TimeSpan.FromHours(5), end - start);
    }

    // "Today" is one rule for pages and jobs: the date now in the user's zone; a zone this system lacks falls back to UTC.
    [Theory]
    [InlineData("America/New_York", 2026, 11, 29)]
    [InlineData("Asia/Tokyo", 2026, 11, 30)]
    [InlineData("Not/AZone", 2026, 11, 30)]
    [InlineData(null, 2026, 11, 30)]
    public void TodayIsTheDateNowInTheUsersZone(string? zone, int year, int month, int day)
    {
        var clock = new PayTrack.Tests.Infrastructure.TestClock(Utc("2026-11-30T03:00:00Z"));
        Assert.Equal(new DateOnly(year, month, day), CleaningRules.Today(clock, zone));
    }
}
