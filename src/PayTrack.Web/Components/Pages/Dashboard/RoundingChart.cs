using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Components.Pages.Dashboard;

/// <summary>
/// The student panel's chart of the year's rounding: a bar per pay period of minutes paid minus minutes worked (above
/// the line the rounding paid more, below it cost), each with its figures as its title. Written as one piece of SVG
/// markup: nothing in it is interactive, and as elements its bars, their attributes and titles were about a third of
/// the dashboard's render, which every open dashboard repeats on each change.
/// </summary>
public static class RoundingChart
{
    private const int Step = 24;
    private const int Axis = 42;
    private const int Tallest = 38;

    public static MarkupString Svg(IReadOnlyList<RoundingSpan> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var most = 1;
        foreach (var period in periods)
        {
            most = Math.Max(most, Math.Abs(period.Rounding.DifferenceMinutes));
        }

        var width = (periods.Count * Step) + 8;
        var svg = new StringBuilder(300 + (periods.Count * 170));
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"rounding-chart\" viewBox=\"0 0 {width} 84\" width=\"100%\" height=\"84\" role=\"img\" aria-labelledby=\"rounding-caption\" data-testid=\"rounding-chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" x2=\"{width}\" y1=\"{Axis}\" y2=\"{Axis}\" stroke=\"currentColor\" stroke-width=\"1\"></line>");
        for (var i = 0; i < periods.Count; i++)
        {
            var rounding = periods[i].Rounding;
            var minutes = rounding.DifferenceMinutes;
            var height = (int)((long)Math.Abs(minutes) * Tallest / most);
            var title = $"{Format.Range(new DateRange(periods[i].Start, periods[i].End))}: {minutes.ToString(CultureInfo.InvariantCulture)} min, {Format.Money(rounding.DifferencePay)}";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{(i * Step) + 6}\" y=\"{(minutes >= 0 ? Axis - height : Axis)}\" width=\"16\" height=\"{Math.Max(height, 1)}\" fill=\"{(minutes < 0 ? "#b42318" : "#2e7d32")}\"><title>");
            svg.Append(HtmlEncoder.Default.Encode(title));
            svg.Append("</title></rect>");
        }

        svg.Append("</svg>");
        return new MarkupString(svg.ToString());
    }
}
