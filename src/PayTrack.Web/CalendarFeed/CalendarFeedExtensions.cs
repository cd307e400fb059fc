using System.ComponentModel.DataAnnotations;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Timecards;

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
        var shifts = await TimecardReads.FeedShiftsAsync(dataSource, userId, profile.Today.AddDays(-options.Value.DaysBack), cancellationToken);

        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Text(CalendarFeedWriter.Write(shifts, profile.TimeZoneId, clock.GetUtcNow()), "text/calendar; charset=utf-8");
    }
}
