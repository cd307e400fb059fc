using System.Globalization;
using System.Text.Json.Serialization;

namespace PayTrack.Web.Pay;

/// <summary>Gross pay less FICA and the user's withholding percentage: an estimate, with the rules it follows.</summary>
public sealed record NetPayEstimate(
    [property: JsonPropertyName("gross_pay")] decimal GrossPay,
    [property: JsonPropertyName("fica_exempt_pay")] decimal FicaExemptPay,
    [property: JsonPropertyName("social_security")] decimal SocialSecurity,
    [property: JsonPropertyName("medicare")] decimal Medicare,
    [property: JsonPropertyName("withholding_percent")] decimal WithholdingPercent,
    [property: JsonPropertyName("withholding")] decimal Withholding,
    [property: JsonPropertyName("net_pay")] decimal NetPay,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("source")] string Source);

/// <summary>
/// The net pay estimate. FICA is 6.2% Social Security and 1.45% Medicare of the pay not exempt (26 U.S.C. 3101).
/// A student who works for the school they are enrolled at at least half time is exempt (26 U.S.C. 3121(b)(10));
/// the user claims it in their settings and it applies term by term: on days of a term, and in a break of at most
/// five weeks between two terms; it lapses in a longer break, or before the first and after the last term entered
/// (Rev. Proc. 2005-11). With no terms entered the claim covers every day. The withholding is the user's own
/// percentage of gross pay. Each amount is rounded to the cent once, from the range's gross pay.
/// </summary>
public static class NetPay
{
    public const decimal SocialSecurityRate = 0.062m;
    public const decimal MedicareRate = 0.0145m;
    public const int LongestExemptBreakDays = 35;

    public const string Source = "FICA: 26 U.S.C. 3101 (6.2% Social Security, 1.45% Medicare); student exemption: 26 U.S.C. 3121(b)(10) and Rev. Proc. 2005-11 (lapses in breaks longer than five weeks).";

    public static bool IsFicaExempt(DateOnly day, PayOptions options, TermCalendar terms)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(terms);
        if (!options.FicaStudentExempt)
        {
            return false;
        }

        if (terms.Terms.Count == 0 || terms.TermOn(day) is not null)
        {
            return true;
        }

        return terms.BreakAround(day) is { } gap && gap.DayCount <= LongestExemptBreakDays;
    }

    /// <param name="pays">The pay of the range's shifts (each on its attributed day).</param>
    public static NetPayEstimate Estimate(IEnumerable<ShiftPay> pays, PayOptions options, TermCalendar terms)
    {
        ArgumentNullException.ThrowIfNull(pays);
        ArgumentNullException.ThrowIfNull(options);
        var gross = 0m;
        var exempt = 0m;
        foreach (var pay in pays)
        {
            gross += pay.GrossPay;
            if (IsFicaExempt(pay.Date, options, terms))
            {
                exempt += pay.GrossPay;
            }
        }

        return Estimate(PayRounding.ToCents(gross), PayRounding.ToCents(exempt), options.WithholdingPercent, options.FicaStudentExempt);
    }

    public static NetPayEstimate Estimate(decimal grossPay, decimal exemptPay, decimal withholdingPercent, bool claimsExemption)
    {
        var taxable = grossPay - exemptPay;
        var socialSecurity = PayRounding.ToCents(taxable * SocialSecurityRate);
        var medicare = PayRounding.ToCents(taxable * MedicareRate);
        var withholding = PayRounding.ToCents(grossPay * withholdingPercent / 100m);
        var net = grossPay - socialSecurity - medicare - withholding;
        var money = CultureInfo.GetCultureInfo("en-US");
        var fica = !claimsExemption
            ? "FICA (7.65%) applies to all of it."
            : exemptPay == grossPay
                ? "All of it is exempt from FICA as a student's pay."
                : string.Create(money, $"{exemptPay:C} is exempt from FICA as a student's pay; FICA applies to the {taxable:C} earned outside your terms and short breaks.");
        return new NetPayEstimate(grossPay, exemptPay, socialSecurity, medicare, withholdingPercent, withholding, net,
            string.Create(money, $"Estimated take-home {net:C} of {grossPay:C} gross. {fica}"), Source);
    }
}
