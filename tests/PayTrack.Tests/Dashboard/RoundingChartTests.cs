using System.Text.RegularExpressions;
using PayTrack.Web.Components.Pages.Dashboard;
using PayTrack.Web.Pay;

namespace PayTrack.Tests.Dashboard;

/// <summary>The student panel's chart of the year's rounding, written as one piece of SVG.</summary>
public sealed class RoundingChartTests
{
    private static RoundingSpan Period(int month, int minutes, decimal pay) =>
        new(new DateOnly(2026, month, 1), new DateOnly(2026, month, 14), null, new RoundingFigures(600, 600 + minutes, minutes, pay));

    [Fact]
    public void EachPayPeriodIsABarScaledToTheLargestWithItsFiguresAsItsTitle()
    {
        var svg = RoundingChart.Svg([Period(1, 15, 3.40m), Period(3, -17, -4.10m), Period(5, 0, 0m)]).Value;

        Assert.StartsWith("<svg class=\"rounding-chart\" viewBox=\"0 0 80 84\"", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg, StringComparison.Ordinal);
        var bars = Regex.Matches(svg, "<rect x=\"(?<x>\\d+)\" y=\"(?<y>\\d+)\" width=\"16\" height=\"(?<h>\\d+)\" fill=\"(?<fill>[^\"]+)\"><title>(?<title>[^<]*)</title></rect>", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.Equal(
            [
                ("6", "9", "33", "#2e7d32", "Jan 1 &#x2013; Jan 14, 2026: 15 min, $3.40"),
                ("30", "42", "38", "#b42318", "Mar 1 &#x2013; Mar 14, 2026: -17 min, -$4.10"),
                ("54", "42", "1", "#2e7d32", "May 1 &#x2013; May 14, 2026: 0 min, $0.00"),
            ],
            bars.Select(b => (b.Groups["x"].Value, b.Groups["y"].Value, b.Groups["h"].Value, b.Groups["fill"].Value, b.Groups["title"].Value)));
    }
}
