using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Api;

public static class ApiExtensions
{
    /// <summary>Signed in with the cookie, or with a personal access token.</summary>
    public const string Policy = "PayTrack.Api";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(PersonalAccessTokenHandler.SchemeName, null)
            .AddPolicyScheme(PersonalAccessTokenHandler.ApiSchemeName, null, o => o.ForwardDefaultSelector = context =>
                PersonalAccessTokenHandler.HasBearer(context.Request) ? PersonalAccessTokenHandler.SchemeName : IdentityConstants.ApplicationScheme);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(PersonalAccessTokenHandler.ApiSchemeName).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>The user's data as JSON and CSV: GET /api/shifts, GET /api/summary, GET /export/shifts.csv.</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").RequireAuthorization(Policy);
        group.MapGet("/api/shifts", ShiftsAsync);
        group.MapGet("/api/summary", SummaryAsync);
        group.MapGet("/api/pay/student", StudentPayAsync);
        group.MapGet("/export/shifts.csv", ExportCsv);
        return endpoints;
    }

    private static async Task<IResult> ShiftsAsync(HttpContext http, ShiftQueries queries, string? from, string? to, CancellationToken cancellationToken)
    {
        if (!QueryDates.TryReadRange(from, to, out var start, out var end, out var problem))
        {
            return problem;
        }

        var rows = await queries.ListAsync(UserId(http), start, end, cancellationToken);
        return TypedResults.Json(rows.Select(ApiShift.From).ToList(), ApiJsonContext.Default.IReadOnlyListApiShift);
    }

    private static async Task<IResult> SummaryAsync(HttpContext http, PayProfiles profiles, StudentPayQueries summaries, string? from, string? to, CancellationToken cancellationToken)
    {
        if (!QueryDates.TryReadRange(from, to, out var start, out var end, out var problem))
        {
            return problem;
        }

        var profile = await profiles.LoadAsync(new DashboardSubject(UserId(http), IsDemo: false, FixedToday: null), cancellationToken);
        var range = YearToDate(start, end, profile.Today);
        if (range.DayCount > SummaryQueries.MaxDays)
        {
            return QueryDates.BadRequest($"A summary covers at most {SummaryQueries.MaxDays} days; ask for a shorter range.");
        }

        return TypedResults.Json(await summaries.SummarizeAsync(profile, range, cancellationToken), ApiJsonContext.Default.PaySummary);
    }

    /// <summary>The rounding audit of the range (the year to date by default), every pay stub's check and the work-study awards.</summary>
    private static async Task<IResult> StudentPayAsync(HttpContext http, PayProfiles profiles, StudentPayQueries queries, string? from, string? to, CancellationToken cancellationToken)
    {
        if (!QueryDates.TryReadRange(from, to, out var start, out var end, out var problem))
        {
            return problem;
        }

        var profile = await profiles.LoadAsync(new DashboardSubject(UserId(http), IsDemo: false, FixedToday: null), cancellationToken);
        var range = YearToDate(start, end, profile.Today);
        if (range.DayCount > SummaryQueries.MaxDays)
        {
            return QueryDates.BadRequest($"A report covers at most {SummaryQueries.MaxDays} days; ask for a shorter range.");
        }

        return TypedResults.Json(await queries.ReportAsync(profile, range, cancellationToken), ApiJsonContext.Default.StudentPayReport);
    }

    private static IResult ExportCsv(HttpContext http, CsvExport csv, TimeProvider clock, string? from, string? to)
    {
        if (!QueryDates.TryReadRange(from, to, out var start, out var end, out var problem))
        {
            return problem;
        }

        var userId = UserId(http);
        return TypedResults.Stream(
            stream => csv.ExportAsync(userId, stream, start, end, http.RequestAborted),
            "text/csv; charset=utf-8",
            $"paytrack-shifts-{clock.GetUtcNow():yyyy-MM-dd}.csv");
    }

    /// <summary>Without dates, the year to date; with one end only, from January 1st of its year, or up to today.</summary>
    private static DateRange YearToDate(DateOnly? start, DateOnly? end, DateOnly today)
    {
        var first = start ?? new DateOnly((end ?? today).Year, 1, 1);
        return new DateRange(first, end ?? (first > today ? first : today));
    }

    private static string UserId(HttpContext http) => CurrentUser.Id(http.User);
}
