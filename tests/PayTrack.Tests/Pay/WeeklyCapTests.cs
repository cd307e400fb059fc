using PayTrack.Web.Pay;

namespace PayTrack.Tests.Pay;

public sealed class WeeklyCapTests
{
    [Theory]
    [InlineData(17 * 60, 3.0, CapStatus.Ok)]
    [InlineData(17 * 60 + 59, 2.02, CapStatus.Ok)]
    [InlineData(18 * 60, 2.0, CapStatus.Near)]
    [InlineData(20 * 60, 0.0, CapStatus.Near)]
    [InlineData(20 * 60 + 1, 0.0, CapStatus.Over)]
    [InlineData(0, 20.0, CapStatus.Ok)]
    public void TheDefaultTwentyHourCapIsNearWithinTwoHoursAndOverPastIt(int minutes, double hoursLeft, CapStatus status)
    {
        var reading = WeeklyCap.Read(minutes, new PayOptions());

        Assert.Equal(status, reading.Status);
        Assert.Equal((decimal)hoursLeft, reading.HoursLeft);
        Assert.Equal(20m, reading.CapHours);
    }

    [Fact]
    public void ACapOfZeroTurnsTheMeterOff()
    {
        var reading = WeeklyCap.Read(50 * 60, new PayOptions { WeeklyCapHours = 0m });

        Assert.Equal(new CapReading(0m, 50m, null, CapStatus.Off), reading);
    }

    [Fact]
    public void TheCapAndTheNearMarginAreSettings()
    {
        var options = new PayOptions { WeeklyCapHours = 29m, NearCapMarginHours = 4m };

        Assert.Equal(CapStatus.Ok, WeeklyCap.Read(24 * 60 + 59, options).Status);
        Assert.Equal(CapStatus.Near, WeeklyCap.Read(25 * 60, options).Status);
        Assert.Equal(new CapReading(29m, 27.25m, 1.75m, CapStatus.Near), WeeklyCap.Read(27 * 60 + 15, options));
    }

    [Fact]
    public void TheCapCountsTheMinutesPayCountsAcrossAllJobsOfTheWeek()
    {
        var calculator = PayExamples.Calculator(rates: PayExamples.Rates((PayExamples.Library, 15m), (PayExamples.Dining, 20m)));
        var week = calculator.Workweek(PayExamples.D(2025, 1, 15),
        [
            PayExamples.WorkedMinutes(PayExamples.Library, PayExamples.D(2025, 1, 13), 610, roundedMinutes: 600),
            PayExamples.WorkedMinutes(PayExamples.Dining, PayExamples.D(2025, 1, 14), 545, roundedMinutes: 540),
        ]);

        Assert.Equal(new CapReading(20m, 19m, 1m, CapStatus.Near), calculator.CapFor(week));
    }
}
