using System.ComponentModel.DataAnnotations;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.CalendarFeed;

public sealed class CalendarFeedOptions
{
    public const string Section = "PayTrack:CalendarFeed";

    /// <summary>The site's address as a calendar app reaches it, for the URL the <c>calendar-url</c> command prints.</summary>
    [Required]
    [Url]
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>How many days back the feed reaches.</summary>
    [Range(1, 3660)]
    public int DaysBack { get; set; } = 400;
}

public static class CalendarFeedExtensions
{
    private const string ShiftsSql = """
        SELECT s.id, s.start_at, s.end_at, s.status, s.note, s.paid_minutes, j.department, j.employee_id, j.pay_rule_id
        FROM shifts s JOIN jobs j ON j.id = s.job_id AND j.user_id = s.user_id
        WHERE s.user_id = $1 AND s.local_date >= $2
        ORDER BY s.start_at
        LIMIT 10000
        """;

    public static WebApplicationBuilder AddCalendarFeed(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CalendarFeedOptions>().BindConfiguration(CalendarFeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CalendarFeeds>();
        return builder;
    }

    /// <summary>GET /calendar.ics?token=...: the secret in the URL is the only credential, as calendar apps send no other.</summary>
    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/calendar.ics", FeedAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> FeedAsync(string? token, CalendarFeeds feeds, PayProfiles profiles, NpgsqlDataSource dataSource,
        Microsoft.Extensions.Options.IOptions<CalendarFeedOptions> options, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var userId = string.IsNullOrEmpty(token) ? null : await feeds.FindUserAsync(token, cancellationToken);
        if (userId is null)
        {
            return TypedResults.Text("This calendar address is not valid any more. Make a new one on PayTrack's settings page.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var profile = await profiles.LoadAsync(new DashboardSubject(userId, IsDemo: false, FixedToday: null), cancellationToken);
        await using var command = dataSource.CreateCommand(ShiftsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = profile.Today.AddDays(-options.Value.DaysBack) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var shifts = new List<FeedShift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var label = new JobInfo(0, reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(6) ? null : reader.GetString(6), null).Label;
            shifts.Add(new FeedShift(reader.GetInt64(0), label, reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), DbNames.Parse<ShiftStatus>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
        }

        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Text(CalendarFeedWriter.Write(shifts, profile.TimeZoneId, clock.GetUtcNow()), "text/calendar; charset=utf-8");
    }
}
