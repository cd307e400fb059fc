using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PayTrack.Web.Components;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Components.Pages.Dashboard;

/// <summary>One series of a chart; <see cref="Data"/> holds numbers, or points for heatmaps and timelines.</summary>
public sealed record ChartSeries(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("data")] IReadOnlyList<object?> Data,
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("axis")] int Axis = 0);

/// <param name="Group">For one-series charts coloured by group (the timeline's jobs): the index into the spec's labels.</param>
public sealed record ChartPoint(
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] object? Y,
    [property: JsonPropertyName("g")] int? Group = null);

/// <summary>
/// What wwwroot/js/charts.js draws: a chart kind, its categories and series, and how to write values. The page carries
/// it as JSON in the chart element's <c>data-chart-spec</c> attribute: data, never run, so the CSP has nothing to say.
/// </summary>
public sealed record ChartSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("series")] IReadOnlyList<ChartSeries> Series,
    [property: JsonPropertyName("categories")] IReadOnlyList<string>? Categories = null,
    [property: JsonPropertyName("labels")] IReadOnlyList<string>? Labels = null,
    [property: JsonPropertyName("format")] string Format = "hours",
    [property: JsonPropertyName("stacked")] bool Stacked = false,
    [property: JsonPropertyName("height")] int Height = 300)
{
    /// <summary>One colour per series (or per label, for the donut and the timeline): a job has the same colour on every chart.</summary>
    [JsonPropertyName("colors")]
    public IReadOnlyList<string>? Colors { get; init; }

    /// <summary>The weekly cap in hours, drawn as a line on the weekly chart; null when there is none.</summary>
    [JsonPropertyName("cap")]
    public decimal? CapHours { get; init; }

    /// <summary>Nothing to draw: the chart shows a sentence instead of empty axes.</summary>
    [JsonIgnore]
    public bool IsEmpty => Series.All(s => s.Data.All(IsZero));

    private static bool IsZero(object? value) => value switch
    {
        null => true,
        decimal d => d == 0m,
        ChartPoint p => p.Y is null || (p.Y is decimal y && y == 0m),
        _ => false,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The spec as JSON; Razor encodes it for the attribute.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public static class ChartSpecs
{
    /// <summary>Job colours, in the order of the user's jobs; distinguishable in light and dark mode.</summary>
    private static readonly string[] Palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#db2777", "#65a30d"];

    /// <summary>The colour of a job on every chart: by its place among the user's jobs.</summary>
    public static string ColorOf(string jobKey, PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var index = profile.Jobs.Select(j => j.Key).ToList().IndexOf(jobKey);
        return Palette[(index < 0 ? profile.Jobs.Count + Math.Abs(StringComparer.Ordinal.GetHashCode(jobKey) % Palette.Length) : index) % Palette.Length];
    }

    private static string ColorOfLabel(string label, PayProfile profile) =>
        profile.Jobs.FirstOrDefault(j => string.Equals(j.Label, label, StringComparison.Ordinal)) is { } job ? ColorOf(job.Key, profile) : Palette[^1];

    /// <summary>Hours per day of a range, one stacked series per job.</summary>
    public static ChartSpec HoursByDay(PaySummary summary, PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return HoursByDay(new DateRange(summary.From, summary.To), summary.Days, profile);
    }

    public static ChartSpec HoursByDay(DateRange range, IReadOnlyList<DaySummary> days, PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(profile);
        var dates = range.Days().ToList();
        var byDay = days.ToDictionary(d => d.Date);
        var jobs = JobsIn(days.SelectMany(d => d.Jobs).Select(j => j.JobKey), profile);
        var series = jobs.Select(job => new ChartSeries(
                profile.JobLabel(job),
                dates.Select(day => (object?)(byDay.TryGetValue(day, out var d) ? d.Jobs.FirstOrDefault(j => j.JobKey == job)?.Hours ?? 0m : 0m)).ToList()))
            .ToList();
        var colors = jobs.Select(job => ColorOf(job, profile)).ToList();
        if (series.Count == 0)
        {
            series.Add(new ChartSeries("Hours", dates.Select(_ => (object?)0m).ToList()));
            colors.Add(Palette[0]);
        }

        return new ChartSpec("bar", series, dates.Select(Format.ShortDay).ToList(), Stacked: true, Height: 280) { Colors = colors };
    }

    /// <summary>Hours (columns) and gross pay (line) per workweek.</summary>
    public static ChartSpec WeeklyHoursAndPay(IReadOnlyList<WorkweekSummary> weeks, decimal? capHours = null)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        return new ChartSpec(
            "mixed",
            [
                new ChartSeries("Hours", weeks.Select(w => (object?)w.Hours).ToList(), "column", 0),
                new ChartSeries("Gross pay", weeks.Select(w => (object?)w.GrossPay).ToList(), "line", 1),
            ],
            weeks.Select(w => w.Start.ToString("M/d", CultureInfo.InvariantCulture)).ToList(),
            Height: 300) { CapHours = capHours is > 0m ? capHours : null };
    }

    public static ChartSpec PayByJob(PaySummary summary, PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(profile);
        var jobs = summary.Jobs.Where(j => j.GrossPay > 0m || j.Minutes > 0).ToList();
        return new ChartSpec(
            "donut",
            [new ChartSeries("Gross pay", jobs.Select(j => (object?)j.GrossPay).ToList())],
            Labels: jobs.Select(j => profile.JobLabel(j.JobKey)).ToList(),
            Format: "money",
            Height: 280) { Colors = jobs.Select(j => ColorOf(j.JobKey, profile)).ToList() };
    }

    /// <summary>A year as a calendar: one row per weekday, one column per week, each cell the day's hours.</summary>
    public static ChartSpec YearHeatmap(int year, IReadOnlyDictionary<DateOnly, int> dayMinutes, DayOfWeek weekStart)
    {
        ArgumentNullException.ThrowIfNull(dayMinutes);
        var first = new DateOnly(year, 1, 1);
        var gridStart = first.AddDays(-(((int)first.DayOfWeek - (int)weekStart + 7) % 7));
        var last = new DateOnly(year, 12, 31);
        var weeks = (last.DayNumber - gridStart.DayNumber) / 7 + 1;
        var series = new List<ChartSeries>();
        // ApexCharts draws the first series at the bottom: list the week's last day first so it reads top-down.
        for (var row = 6; row >= 0; row--)
        {
            var points = new List<object?>();
            for (var week = 0; week < weeks; week++)
            {
                var day = gridStart.AddDays(week * 7 + row);
                var label = gridStart.AddDays(week * 7).ToString("MMM d", CultureInfo.InvariantCulture);
                points.Add(new ChartPoint(label, day.Year == year ? PayRounding.ToHours(dayMinutes.GetValueOrDefault(day)) : null));
            }

            series.Add(new ChartSeries(((DayOfWeek)(((int)weekStart + row) % 7)).ToString()[..3], points));
        }

        return new ChartSpec("heatmap", series, Height: 260);
    }

    /// <summary>
    /// Each shift of the week as a bar from its start to its end, on its day's row (hours past local midnight). One
    /// series in time order, coloured by job, so the rows come out in day order.
    /// </summary>
    public static ChartSpec Timeline(DateRange week, IReadOnlyList<WorkedShift> shifts, PayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(profile);
        var closed = shifts.Where(s => s.EndUtc is not null).OrderBy(s => s.LocalDate).ThenBy(s => s.StartUtc).ToList();
        var jobs = closed.Select(s => profile.JobLabel(s.JobKey)).Distinct(StringComparer.Ordinal).ToList();
        var points = closed.Select(s => (object?)new ChartPoint(
                Format.ShortDay(s.LocalDate),
                new[] { HoursPastMidnight(s.LocalDate, profile.LocalTime(s.StartUtc)), HoursPastMidnight(s.LocalDate, profile.LocalTime(s.EndUtc!.Value)) },
                jobs.IndexOf(profile.JobLabel(s.JobKey))))
            .ToList();
        return new ChartSpec("timeline", [new ChartSeries("Shifts", points)], week.Days().Select(Format.ShortDay).ToList(), Labels: jobs, Format: "clock", Height: 300)
        {
            Colors = jobs.Select(j => ColorOfLabel(j, profile)).ToList(),
        };
    }

    /// <summary>Hours worked in each clock hour of each weekday.</summary>
    public static ChartSpec WeekdayHours(int[][] grid, DayOfWeek weekStart)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var series = new List<ChartSeries>();
        for (var row = 6; row >= 0; row--)
        {
            var day = (DayOfWeek)(((int)weekStart + row) % 7);
            series.Add(new ChartSeries(day.ToString()[..3], Enumerable.Range(0, 24)
                .Select(h => (object?)new ChartPoint(h.ToString("00", CultureInfo.InvariantCulture), PayRounding.ToHours(grid[(int)day][h])))
                .ToList()));
        }

        return new ChartSpec("heatmap", series, Height: 280);
    }

    /// <summary>Hours past the local midnight that starts <paramref name="day"/>: a shift ending after midnight goes past 24.</summary>
    public static decimal HoursPastMidnight(DateOnly day, DateTimeOffset local)
    {
        var days = DateOnly.FromDateTime(local.DateTime).DayNumber - day.DayNumber;
        return Math.Round((days * 24m) + local.Hour + (local.Minute / 60m), 2);
    }

    private static List<string> JobsIn(IEnumerable<string> keys, PayProfile profile)
    {
        var present = keys.ToHashSet(StringComparer.Ordinal);
        var ordered = profile.Jobs.Select(j => j.Key).Where(present.Contains).ToList();
        ordered.AddRange(present.Where(k => !ordered.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
        return ordered;
    }
}
