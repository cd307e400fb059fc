using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using PayTrack.Web.Operations;

namespace PayTrack.Web.Dashboard;

/// <summary>The shifts page's query string: <c>from</c>, <c>to</c> (YYYY-MM-DD), <c>job</c>, <c>problems=1</c>, <c>page</c>.</summary>
public static class ShiftQuery
{
    /// <summary>The filter the query asks for; values that do not parse are ignored and named in <paramref name="errors"/>.</summary>
    public static ShiftFilter Parse(IQueryCollection query, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problems = new List<string>();
        errors = problems;
        var from = Date(query["from"], "From", problems);
        var to = Date(query["to"], "To", problems);
        if (from > to)
        {
            problems.Add("The first date is after the last; showing all dates.");
            from = to = null;
        }

        long? job = long.TryParse(query["job"], NumberStyles.None, CultureInfo.InvariantCulture, out var j) ? j : null;
        var problemsOnly = query["problems"] is var p && (p == "1" || string.Equals(p, "true", StringComparison.OrdinalIgnoreCase) || p == "on");
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1_000_000 ? n : 1;
        return new ShiftFilter(from, to, job, problemsOnly, page);
    }

    /// <summary>The query string of a filter (page included unless 1), for links and the CSV download.</summary>
    public static string ToQuery(ShiftFilter filter, int? page = null, bool csv = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (filter.From is { } from)
        {
            parts["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (filter.To is { } to)
        {
            parts["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (!csv)
        {
            if (filter.JobId is { } job)
            {
                parts["job"] = job.ToString(CultureInfo.InvariantCulture);
            }

            if (filter.ProblemsOnly)
            {
                parts["problems"] = "1";
            }

            if ((page ?? filter.Page) is > 1 and var p)
            {
                parts["page"] = p.ToString(CultureInfo.InvariantCulture);
            }
        }

        return QueryHelpers.AddQueryString("", parts);
    }

    private static DateOnly? Date(string? value, string name, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (QueryDates.TryParse(value, out var date))
        {
            return date;
        }

        errors.Add($"{name} must be a date such as 2025-01-05; it was ignored.");
        return null;
    }
}
