using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PayTrack.Web.Operations;

/// <summary>
/// Optional from/to dates in a query (the API, the exports): a value that is not a date PayTrack can work with gets a
/// 400 with a JSON problem that says which and why, never a 500 further in.
/// </summary>
public static class QueryDates
{
    /// <summary>Reads optional from/to dates (YYYY-MM-DD, years 1900 to 9000); an empty value means "no limit".</summary>
    public static bool TryReadRange(string? from, string? to, out DateOnly? start, out DateOnly? end, [NotNullWhen(false)] out IResult? problem)
    {
        start = null;
        end = null;
        if (!TryReadDate(from, "from", out start, out problem) || !TryReadDate(to, "to", out end, out problem))
        {
            return false;
        }

        if (start > end)
        {
            problem = BadRequest(string.Create(CultureInfo.InvariantCulture, $"'from' ({start:yyyy-MM-dd}) is after 'to' ({end:yyyy-MM-dd})."));
            return false;
        }

        return true;
    }

    /// <summary>A date written YYYY-MM-DD in the years PayTrack can work with (1900 to 9000).</summary>
    public static bool TryParse(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 1900 and <= 9000;

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request's query is not valid.", detail: detail);

    private static bool TryReadDate(string? value, string name, out DateOnly? date, [NotNullWhen(false)] out IResult? problem)
    {
        date = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (TryParse(value.Trim(), out var parsed))
        {
            date = parsed;
            return true;
        }

        problem = BadRequest($"'{name}' must be a date written YYYY-MM-DD, for example 2025-01-05.");
        return false;
    }
}
