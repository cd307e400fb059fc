namespace PayTrack.Web.Pay;

/// <summary>
/// The one place figures are rounded for reporting. Money is carried unrounded through every step (straight time,
/// regular rate, premium, sums) and rounded to the cent once, half a cent away from zero: the usual payroll
/// convention, where banker's rounding would pay $613.12 for $613.125.
/// </summary>
public static class PayRounding
{
    /// <summary>
    /// Dollars to the cent. Unrounded amounts come from divisions (minutes / 60, the regular rate), so a sum that is
    /// exactly a half cent may arrive as 15.01499999999999999999999999; snapping to 20 places first removes that
    /// representation noise (far below any real difference) before the half cent is rounded up.
    /// </summary>
    public static decimal ToCents(decimal exactDollars) =>
        Math.Round(Math.Round(exactDollars, 20, MidpointRounding.AwayFromZero), 2, MidpointRounding.AwayFromZero);

    /// <summary>Minutes as decimal hours to the hundredth (payroll's usual precision for display); totals are summed in minutes first.</summary>
    public static decimal ToHours(int minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);
}
