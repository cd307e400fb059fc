using System.Globalization;
using System.Text.Json.Serialization;

namespace PayTrack.Web.Pay;

/// <summary>What a pay stub says for one pay period.</summary>
public sealed record PayStub(long Id, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Hours, decimal GrossPay)
{
    public static string? Problem(DateOnly periodStart, DateOnly periodEnd, decimal hours, decimal grossPay)
    {
        if (periodStart.Year is < 1900 or > 9000 || periodEnd.Year is < 1900 or > 9000 || periodEnd < periodStart)
        {
            return "The pay period must end on or after the day it starts.";
        }

        if (periodEnd.DayNumber - periodStart.DayNumber > 31)
        {
            return "A pay period lasts at most 31 days.";
        }

        if (hours is < 0m or > 744m || decimal.Round(hours, 2) != hours)
        {
            return "The stub's hours must be 0 to 744, to the hundredth.";
        }

        return grossPay is < 0m or > 1_000_000m || decimal.Round(grossPay, 2) != grossPay
            ? "The stub's gross pay must be $0 to $1,000,000, in dollars and cents."
            : null;
    }
}

/// <summary>A shift of the stub's period with what PayTrack knows about its history.</summary>
/// <param name="Edited">The employer changed its punches.</param>
/// <param name="ChangedOn">The local date PayTrack last saw it change.</param>
public sealed record StubShift(WorkedShift Shift, bool Edited, DateOnly ChangedOn);

[JsonConverter(typeof(JsonStringEnumConverter<StubReason>))]
public enum StubReason
{
    [JsonStringEnumMemberName("missed_punch")]
    MissedPunch,

    [JsonStringEnumMemberName("edited_after_period")]
    EditedAfterPeriod,

    [JsonStringEnumMemberName("rounding")]
    Rounding,

    [JsonStringEnumMemberName("rate_change")]
    RateChange,
}

/// <summary>A shift (or a raise) that can explain part of the difference; minutes and dollars when they are known.</summary>
public sealed record StubExplanation(
    [property: JsonPropertyName("reason")] StubReason Reason,
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("job")] string JobKey,
    [property: JsonPropertyName("minutes")] int? Minutes,
    [property: JsonPropertyName("amount")] decimal? Amount,
    [property: JsonPropertyName("text")] string Text);

public sealed record PayStubCheckResult(
    [property: JsonPropertyName("period_start")] DateOnly PeriodStart,
    [property: JsonPropertyName("period_end")] DateOnly PeriodEnd,
    [property: JsonPropertyName("stub_hours")] decimal StubHours,
    [property: JsonPropertyName("stub_gross_pay")] decimal StubGrossPay,
    [property: JsonPropertyName("paytrack_hours")] decimal PayTrackHours,
    [property: JsonPropertyName("paytrack_gross_pay")] decimal PayTrackGrossPay,
    [property: JsonPropertyName("hours_difference")] decimal HoursDifference,
    [property: JsonPropertyName("gross_difference")] decimal GrossDifference,
    [property: JsonPropertyName("explanations")] IReadOnlyList<StubExplanation> Explanations,
    [property: JsonPropertyName("message")] string Message);

/// <summary>
/// Compares a pay stub with PayTrack's own figures for the same days and lists what can explain the difference:
/// shifts with a missed punch (PayTrack counts none of their time), shifts the employer edited after the period
/// ended (the stub may pay the times before the edit), shifts whose employer rounding changed the minutes when
/// PayTrack pays the actual times, and raises that took effect inside the period (the stub may pay the old rate).
/// </summary>
public static class PayStubCheck
{
    /// <param name="pays">PayTrack's pay of every shift attributed to a day of the stub's period.</param>
    public static PayStubCheckResult Check(PayStub stub, IReadOnlyList<ShiftPay> pays, IEnumerable<StubShift> shifts, PayOptions options, PayRateTable rates)
    {
        ArgumentNullException.ThrowIfNull(stub);
        ArgumentNullException.ThrowIfNull(pays);
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rates);
        var period = new DateRange(stub.PeriodStart, stub.PeriodEnd);
        var inPeriod = pays.Where(p => period.Contains(p.Date)).ToList();
        var ourHours = PayRounding.ToHours(inPeriod.Sum(p => p.Minutes));
        var ourGross = PayRounding.ToCents(inPeriod.Sum(p => p.GrossPay));

        var explanations = new List<StubExplanation>();
        foreach (var s in shifts.Where(s => period.Contains(s.Shift.LocalDate)).OrderBy(s => s.Shift.StartUtc))
        {
            explanations.AddRange(Explain(s, period, options, rates));
        }

        explanations.AddRange(RateChanges(inPeriod, period, rates));

        var hoursDifference = stub.Hours - ourHours;
        var grossDifference = stub.GrossPay - ourGross;
        var money = CultureInfo.GetCultureInfo("en-US");
        var message = hoursDifference == 0m && grossDifference == 0m
            ? "The stub matches PayTrack's figures."
            : string.Create(money, $"The stub pays {Signed(hoursDifference, "h", money)} and {Signed(grossDifference, "$", money)} compared with PayTrack's {ourHours:0.00} h and {ourGross:C}. ")
                + (explanations.Count == 0 ? "No shift of the period explains it: ask your payroll office." : "The shifts below can explain it.");
        return new PayStubCheckResult(stub.PeriodStart, stub.PeriodEnd, stub.Hours, stub.GrossPay, ourHours, ourGross, hoursDifference, grossDifference, explanations, message);
    }

    private static string Signed(decimal value, string unit, CultureInfo money) =>
        unit == "$"
            ? string.Create(money, $"{(value < 0m ? "-" : "+")}{Math.Abs(value):C}")
            : string.Create(money, $"{(value < 0m ? "-" : "+")}{Math.Abs(value):0.00} h");

    private static IEnumerable<StubExplanation> Explain(StubShift s, DateRange period, PayOptions options, PayRateTable rates)
    {
        var shift = s.Shift;
        var day = shift.LocalDate;
        if (shift.IsOpen)
        {
            yield return new StubExplanation(StubReason.MissedPunch, day, shift.JobKey, null, null,
                string.Create(CultureInfo.InvariantCulture, $"{day:dddd, MMMM d}: the out-punch is missing, so PayTrack counts none of this shift; your employer may have paid it."));
        }

        if (s.Edited && s.ChangedOn > period.End)
        {
            yield return new StubExplanation(StubReason.EditedAfterPeriod, day, shift.JobKey, null, null,
                string.Create(CultureInfo.InvariantCulture, $"{day:dddd, MMMM d}: your employer changed this shift on {s.ChangedOn:MMMM d}, after the period ended; the stub may pay the times before the change."));
        }

        if (!options.UseRoundedTimes && !shift.IsOpen && shift.RoundedMinutes is { } rounded && rounded != shift.ActualMinutes)
        {
            var minutes = rounded - shift.ActualMinutes;
            var amount = PayRounding.ToCents((rates.RateOn(shift.JobKey, day) ?? 0m) * minutes / 60m);
            yield return new StubExplanation(StubReason.Rounding, day, shift.JobKey, minutes, amount,
                string.Create(CultureInfo.InvariantCulture, $"{day:dddd, MMMM d}: your employer's rounding pays {rounded} minutes for the {shift.ActualMinutes} you worked, and PayTrack counts what you worked."));
        }
    }

    private static IEnumerable<StubExplanation> RateChanges(List<ShiftPay> inPeriod, DateRange period, PayRateTable rates)
    {
        foreach (var job in inPeriod.GroupBy(p => p.JobKey, StringComparer.Ordinal))
        {
            var before = rates.RateOn(job.Key, period.Start);
            foreach (var day in period.Days().Skip(1))
            {
                var rate = rates.RateOn(job.Key, day);
                if (rate == before || rate is null || before is null)
                {
                    before = rate;
                    continue;
                }

                var minutes = job.Where(p => p.Date >= day).Sum(p => p.Minutes);
                var amount = PayRounding.ToCents((rate.Value - before.Value) * minutes / 60m);
                var money = CultureInfo.GetCultureInfo("en-US");
                yield return new StubExplanation(StubReason.RateChange, day, job.Key, minutes, amount,
                    string.Create(money, $"{day:dddd, MMMM d}: the rate changed from {before:C} to {rate:C}; a stub that paid the old rate for the {PayRounding.ToHours(minutes)} h since then differs by {amount:C}."));
                before = rate;
            }
        }
    }
}
