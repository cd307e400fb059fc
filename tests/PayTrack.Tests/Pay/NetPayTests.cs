using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

public sealed class NetPayTests
{
    private static readonly TermCalendar Terms = new(
    [
        new Term("Spring 2025", D(2025, 1, 13), D(2025, 5, 9)),
        new Term("Fall 2025", D(2025, 8, 25), D(2025, 12, 12)),
        new Term("Spring 2026", D(2026, 1, 12), D(2026, 5, 8)),
    ]);

    private static IReadOnlyList<ShiftPay> Pays(PayOptions options, params WorkedShift[] shifts) =>
        new PayCalculator(options, Rates((Library, 15m)), Terms).Pays(new DateRange(shifts.Min(s => s.LocalDate), shifts.Max(s => s.LocalDate)), shifts);

    [Fact]
    public void WithoutTheExemptionFicaAndWithholdingComeOffGross()
    {
        // 27.5 h x $15 = $412.50. Social Security 412.50 x 6.2% = 25.575 -> $25.58; Medicare x 1.45% = 5.98125 -> $5.98;
        // withholding 5% = 20.625 -> $20.63. Net 412.50 - 25.58 - 5.98 - 20.63 = $360.31.
        var options = new PayOptions { WithholdingPercent = 5m };
        var pays = Pays(options, Worked(Library, D(2025, 2, 3), 8m), Worked(Library, D(2025, 2, 4), 8m), Worked(Library, D(2025, 2, 5), 11.5m));

        var net = NetPay.Estimate(pays, options, Terms);

        Assert.Equal(new NetPayEstimate(412.50m, 0m, 25.58m, 5.98m, 5m, 20.63m, 360.31m,
            "Estimated take-home $360.31 of $412.50 gross. FICA (7.65%) applies to all of it.", NetPay.Source), net);
    }

    [Fact]
    public void TheStudentExemptionRemovesFicaInTerm()
    {
        // The same $412.50 in Spring 2025 with the exemption claimed: no FICA; net 412.50 - 20.63 = $391.87.
        var options = new PayOptions { WithholdingPercent = 5m, FicaStudentExempt = true };
        var pays = Pays(options, Worked(Library, D(2025, 2, 3), 8m), Worked(Library, D(2025, 2, 4), 8m), Worked(Library, D(2025, 2, 5), 11.5m));

        var net = NetPay.Estimate(pays, options, Terms);

        Assert.Equal((0m, 0m, 20.63m, 391.87m, 412.50m), (net.SocialSecurity, net.Medicare, net.Withholding, net.NetPay, net.FicaExemptPay));
    }

    [Fact]
    public void TheExemptionLapsesInABreakLongerThanFiveWeeks()
    {
        // In Spring 2025 (05-05) 8 h = $120, exempt. Summer 05-10..08-24 is 107 days: 06-16 10 h = $150 pays FICA.
        // Winter 12-13..2026-01-11 is 30 days (at most 35): 12-22 4 h = $60, exempt.
        // Gross $330; exempt $180; taxable $150: SS 9.30, Medicare 2.175 -> 2.18; withholding 10% = $33.00;
        // net 330 - 9.30 - 2.18 - 33.00 = $285.52.
        var options = new PayOptions { WithholdingPercent = 10m, FicaStudentExempt = true };
        var pays = Pays(options, Worked(Library, D(2025, 5, 5), 8m), Worked(Library, D(2025, 6, 16), 10m), Worked(Library, D(2025, 12, 22), 4m));

        var net = NetPay.Estimate(pays, options, Terms);

        Assert.Equal((330m, 180m, 9.30m, 2.18m, 33.00m, 285.52m),
            (net.GrossPay, net.FicaExemptPay, net.SocialSecurity, net.Medicare, net.Withholding, net.NetPay));
        Assert.False(NetPay.IsFicaExempt(D(2025, 8, 24), options, Terms));
        Assert.True(NetPay.IsFicaExempt(D(2026, 1, 11), options, Terms));
        Assert.False(NetPay.IsFicaExempt(D(2026, 5, 9), options, Terms));
    }
}
