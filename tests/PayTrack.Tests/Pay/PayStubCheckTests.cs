using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>The biweekly period 2025-01-05..2025-01-18 (the default anchor), Library at $15.</summary>
public sealed class PayStubCheckTests
{
    private static readonly DateOnly PeriodStart = D(2025, 1, 5);
    private static readonly DateOnly PeriodEnd = D(2025, 1, 18);

    private static WorkedShift Open(DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        return new WorkedShift(Library, day, start, null, 0, null);
    }

    private static PayStubCheckResult Check(PayStub stub, PayOptions options, PayRateTable rates, params StubShift[] shifts)
    {
        var calculator = new PayCalculator(options, rates);
        var pays = calculator.Pays(new DateRange(stub.PeriodStart, stub.PeriodEnd), shifts.Select(s => s.Shift));
        return PayStubCheck.Check(stub, pays, shifts, options, rates);
    }

    [Fact]
    public void AStubThatPaidAMissedPunchIsExplainedByThatShift()
    {
        // PayTrack: 01-06, 01-08 and 01-13 at 4 h = 12 h x $15 = $180.00; 01-10 has no out-punch and counts 0.
        // The stub paid 16 h and $240.00: +4.00 h and +$60.00, the missed punch of Friday 01-10.
        var stub = new PayStub(1, PeriodStart, PeriodEnd, 16m, 240m);

        var check = Check(stub, new PayOptions(), Rates((Library, 15m)),
            new StubShift(Worked(Library, D(2025, 1, 6), 4m), false, D(2025, 1, 6)),
            new StubShift(Worked(Library, D(2025, 1, 8), 4m), false, D(2025, 1, 8)),
            new StubShift(Open(D(2025, 1, 10)), false, D(2025, 1, 10)),
            new StubShift(Worked(Library, D(2025, 1, 13), 4m), false, D(2025, 1, 13)));

        Assert.Equal((12m, 180.00m, 4m, 60.00m), (check.PayTrackHours, check.PayTrackGrossPay, check.HoursDifference, check.GrossDifference));
        var explanation = Assert.Single(check.Explanations);
        Assert.Equal((StubReason.MissedPunch, D(2025, 1, 10)), (explanation.Reason, explanation.Date));
        Assert.Equal("The stub pays +4.00 h and +$60.00 compared with PayTrack's 12.00 h and $180.00. The shifts below can explain it.", check.Message);
    }

    [Fact]
    public void AStubAtTheOldRateIsExplainedByTheRaise()
    {
        // $15 until Sunday 01-12, $16 from Monday 01-13. PayTrack: 01-06 and 01-08 at 4 h x $15 = $120, 01-13 4 h x $16
        // = $64: $184.00 for 12 h. The stub paid all 12 h at $15 = $180.00: -$4.00, the raise: 4 h x $1 = $4.00.
        // An edit of 01-08 made on 01-20, after the period, is listed too.
        var rates = new PayRateTable(new Dictionary<string, decimal>(StringComparer.Ordinal) { [Library] = 15m }, [new PayRate(Library, D(2025, 1, 13), 16m)]);
        var stub = new PayStub(1, PeriodStart, PeriodEnd, 12m, 180m);

        var check = Check(stub, new PayOptions(), rates,
            new StubShift(Worked(Library, D(2025, 1, 6), 4m), false, D(2025, 1, 6)),
            new StubShift(Worked(Library, D(2025, 1, 8), 4m), true, D(2025, 1, 20)),
            new StubShift(Worked(Library, D(2025, 1, 13), 4m), false, D(2025, 1, 13)));

        Assert.Equal((184.00m, 0m, -4.00m), (check.PayTrackGrossPay, check.HoursDifference, check.GrossDifference));
        var raise = Assert.Single(check.Explanations, e => e.Reason == StubReason.RateChange);
        Assert.Equal((D(2025, 1, 13), 240, 4.00m), (raise.Date, raise.Minutes, raise.Amount));
        Assert.Equal(D(2025, 1, 8), Assert.Single(check.Explanations, e => e.Reason == StubReason.EditedAfterPeriod).Date);
    }

    [Fact]
    public void RoundingExplainsAStubWhenPayTrackCountsActualTimes()
    {
        // Worked 247 min, the employer paid its rounded 240: PayTrack (actual times) 4.12 h, $61.75; the stub 4.00 h,
        // $60.00; -$1.75, the 7 rounded-off minutes at $0.25.
        var stub = new PayStub(1, PeriodStart, PeriodEnd, 4m, 60m);

        var check = Check(stub, new PayOptions { UseRoundedTimes = false }, Rates((Library, 15m)),
            new StubShift(WorkedMinutes(Library, D(2025, 1, 13), 247, roundedMinutes: 240), false, D(2025, 1, 13)));

        Assert.Equal(-1.75m, check.GrossDifference);
        var rounding = Assert.Single(check.Explanations);
        Assert.Equal((StubReason.Rounding, -7, -1.75m), (rounding.Reason, rounding.Minutes, rounding.Amount));
    }
}
