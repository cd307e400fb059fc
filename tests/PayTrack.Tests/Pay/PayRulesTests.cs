using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

public sealed class PayRulesTests
{
    [Theory]
    [InlineData("613.125", "613.13")]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("41.6666666666666666666666667", "41.67")]
    [InlineData("15.01499999999999999999999999", "15.02")]
    [InlineData("15.0149999", "15.01")]
    public void MoneyIsRoundedToTheCentOnceWithHalfACentAwayFromZero(string exact, string cents)
    {
        Assert.Equal(decimal.Parse(cents), PayRounding.ToCents(decimal.Parse(exact)));
    }

    [Fact]
    public void AHalfCentReachedThroughRepeatingDecimalsStillRoundsUp()
    {
        // $19.30 for 308, 12, 461 and 182 minutes: 963 min = 16.05 h, 16.05 x 19.30 = exactly $309.765, so $309.77.
        // Each shift's pay repeats (19.30 x 308 / 60 = 99.0733...), and their decimal sum lands just under the half cent.
        var week = Calculator(rates: Rates((Library, 19.30m))).Workweek(D(2025, 1, 13),
        [
            WorkedMinutes(Library, D(2025, 1, 13), 308), WorkedMinutes(Library, D(2025, 1, 14), 12),
            WorkedMinutes(Library, D(2025, 1, 15), 461), WorkedMinutes(Library, D(2025, 1, 16), 182),
        ]);

        Assert.Equal(309.77m, PayRounding.ToCents(week.GrossPay));
    }

    [Theory]
    [InlineData(2490, "41.5")]
    [InlineData(41, "0.68")]
    [InlineData(20, "0.33")]
    [InlineData(0, "0")]
    public void HoursAreMinutesOverSixtyToTheHundredth(int minutes, string hours)
    {
        Assert.Equal(decimal.Parse(hours), PayRounding.ToHours(minutes));
    }

    [Fact]
    public void ARateAppliesFromItsDateAndTheBaseWageBeforeTheFirstChange()
    {
        var rates = new PayRateTable(
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [Library] = 14.20m },
            [new PayRate(Library, D(2025, 8, 25), 15.50m), new PayRate(Library, D(2025, 1, 6), 15m), new PayRate(Dining, D(2025, 3, 1), 18m)]);

        Assert.Equal(14.20m, rates.RateOn(Library, D(2025, 1, 5)));
        Assert.Equal(15m, rates.RateOn(Library, D(2025, 1, 6)));
        Assert.Equal(15m, rates.RateOn(Library, D(2025, 8, 24)));
        Assert.Equal(15.50m, rates.RateOn(Library, D(2026, 1, 1)));
        Assert.Null(rates.RateOn(Dining, D(2025, 2, 28)));
        Assert.Equal(18m, rates.RateOn(Dining, D(2025, 3, 1)));
    }

    [Fact]
    public void TwoRatesOnOneDateOrANegativeRateAreRefused()
    {
        var baseWages = new Dictionary<string, decimal>(StringComparer.Ordinal) { [Library] = 15m };

        var twice = Assert.Throws<ArgumentException>(() =>
            new PayRateTable(baseWages, [new PayRate(Library, D(2025, 1, 6), 15m), new PayRate(Library, D(2025, 1, 6), 16m)]));
        Assert.Contains("two rates effective on 2025-01-06", twice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PayRateTable(baseWages, [new PayRate(Library, D(2025, 1, 6), -1m)]));
    }

    [Fact]
    public void ImpossibleShiftsAreRefused()
    {
        var start = new DateTimeOffset(2025, 1, 13, 14, 0, 0, TimeSpan.Zero);

        Assert.Throws<ArgumentException>(() => new WorkedShift(Library, D(2025, 1, 13), start, start.AddHours(-1), 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkedShift(Library, D(2025, 1, 13), start, start, -5, null));
        Assert.Throws<ArgumentException>(() => new WorkedShift(" ", D(2025, 1, 13), start, start, 0, null));
        Assert.Equal("10234/7", JobKeys.Of(10234, 7));
    }

    [Fact]
    public void DefaultSettingsBindFromConfigurationAndBadOnesFailWithTheReason()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration["PayTrack:Pay:PeriodKind"] = "SemiMonthly";
        builder.Configuration["PayTrack:Pay:PeriodAnchor"] = "2025-01-05";
        builder.Configuration["PayTrack:Pay:WeeklyCapHours"] = "29";
        builder.AddPay();
        using (var services = builder.Services.BuildServiceProvider())
        {
            var options = services.GetRequiredService<IOptions<PayOptions>>().Value;
            Assert.Equal(new PayOptions { PeriodKind = PayPeriodKind.SemiMonthly, PeriodAnchor = D(2025, 1, 5), WeeklyCapHours = 29m }, options);
        }

        var bad = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        bad.Configuration["PayTrack:Pay:NearCapMarginHours"] = "-2";
        bad.AddPay();
        using var badServices = bad.Services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<PayOptions>>().Value);
        Assert.Contains("PayTrack:Pay: The near-cap margin must be 0 to 168 hours.", error.Message, StringComparison.Ordinal);
    }
}
