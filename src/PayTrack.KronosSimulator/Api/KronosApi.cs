using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PayTrack.KronosSimulator.Data;
using PayTrack.KronosSimulator.Site;

namespace PayTrack.KronosSimulator.Api;

/// <summary>The contract's three endpoints under /api, with sessions and faults.</summary>
internal static class KronosApi
{
    public const string BasePath = "/api";

    public static IEndpointRouteBuilder MapKronosApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath);
        api.MapPost("/login", LoginAsync);
        api.MapGet("/rest/employeebyusername/{username}", EmployeeAsync);
        api.MapGet("/rest/timecard/{employeeId:long}/{payRuleId:long}/{start}/{end}", TimecardAsync);
        api.MapGet("/sso", (HttpContext context) => Responses.HtmlAsync(context, StatusCodes.Status200OK, Responses.SingleSignOnPage));
        return endpoints;
    }

    private static async Task LoginAsync(HttpContext context, SiteServices site)
    {
        site.Stats.Count(StatName.ApiRequests);
        if (!context.Request.HasFormContentType)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", "Expected a form with username and password.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var username = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var account = site.Accounts.Find(username);
        var faults = site.Faults.For(account, username);
        await site.Faults.DelayAsync(faults, context.RequestAborted);
        site.Stats.CountLoginAttempt(username);
        if (site.Faults.Choose(faults, "login:" + username.ToLowerInvariant(), ApiEndpoint.Login) is { } fault)
        {
            await site.Faults.PlayAsync(context, fault, faults, body: null);
            return;
        }

        if (faults.SingleSignOn)
        {
            context.Response.Headers.Location = BasePath + "/sso";
            await Responses.HtmlAsync(context, StatusCodes.Status302Found, Responses.SingleSignOnPage);
            return;
        }

        if (account is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(account.Password)))
        {
            site.Stats.Count(StatName.FailedLogins);
            await Responses.JsonAsync(context, StatusCodes.Status401Unauthorized, """{"error":"invalid_credentials"}"""u8.ToArray());
            return;
        }

        var token = site.Sessions.Open(account.Username);
        context.Response.Cookies.Append(site.Options.CookieName, token, new CookieOptions { HttpOnly = true, Path = "/" });
        site.Stats.Count(StatName.Logins);
        await Responses.JsonAsync(context, StatusCodes.Status200OK, """{"status":"ok"}"""u8.ToArray());
    }

    private static async Task EmployeeAsync(HttpContext context, SiteServices site, string username)
    {
        site.Stats.Count(StatName.ApiRequests);
        site.Stats.Count(StatName.EmployeeRequests);
        var caller = await EnterAsync(context, site, ApiEndpoint.Employee, range: null, body: account => Responses.Render(json => WireWriter.WriteEmployee(json, account)));
        if (caller is null)
        {
            return;
        }

        if (!string.Equals(caller.Username, username.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            site.Stats.Count(StatName.CrossAccountDenied);
            await Responses.ErrorAsync(context, StatusCodes.Status403Forbidden, "WFP-00403", "Access denied");
            return;
        }

        await Responses.JsonAsync(context, StatusCodes.Status200OK, Responses.Render(json => WireWriter.WriteEmployee(json, caller)));
    }

    private static async Task TimecardAsync(HttpContext context, SiteServices site, long employeeId, long payRuleId, string start, string end)
    {
        site.Stats.Count(StatName.ApiRequests);
        site.Stats.Count(StatName.TimecardRequests);
        var range = ParseRange(start, end);
        var now = site.Time.GetUtcNow();
        var caller = await EnterAsync(context, site, ApiEndpoint.Timecard, range, body: account =>
            FindJob(account, employeeId, payRuleId) is { } job && range is { } r
                ? Responses.Render(json => WireWriter.WritePeriods(json, account, site.Punches.Timecard(account, job, r.Start, r.End, now)))
                : "[]"u8.ToArray());
        if (caller is null)
        {
            return;
        }

        if (range is not { } days)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "WFP-00400", "Dates must be YYYY-MM-DD, start not after end");
            return;
        }

        if (FindJob(caller, employeeId, payRuleId) is not { } found)
        {
            site.Stats.Count(StatName.CrossAccountDenied);
            await Responses.ErrorAsync(context, StatusCodes.Status403Forbidden, "WFP-00403", "Access denied");
            return;
        }

        if (days.End.DayNumber - days.Start.DayNumber + 1 > site.Options.MaxRangeDays)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status413RequestEntityTooLarge, "WFP-00413", $"The date range is longer than {site.Options.MaxRangeDays} days");
            return;
        }

        var periods = site.Punches.Timecard(caller, found, days.Start, days.End, now);
        await Responses.JsonAsync(context, StatusCodes.Status200OK, Responses.Render(json => WireWriter.WritePeriods(json, caller, periods)));
    }

    /// <summary>Latency, faults and the session check shared by the data endpoints; null when the request has been answered.</summary>
    private static async Task<SimAccount?> EnterAsync(HttpContext context, SiteServices site, ApiEndpoint endpoint, (DateOnly Start, DateOnly End)? range, Func<SimAccount, byte[]> body)
    {
        var token = context.Request.Cookies[site.Options.CookieName];
        var username = site.Sessions.Peek(token);
        var account = username is null ? null : site.Accounts.Find(username);
        var faults = site.Faults.For(account, username);
        await site.Faults.DelayAsync(faults, context.RequestAborted);
        if (site.Faults.Choose(faults, (username ?? "-") + ":" + context.Request.Path, endpoint, range) is { } fault)
        {
            await site.Faults.PlayAsync(context, fault, faults, account is null ? null : () => body(account));
            return null;
        }

        var (state, sessionUser) = site.Sessions.Touch(token);
        if (state != SessionState.Active || site.Accounts.Find(sessionUser!) is not { } caller)
        {
            await AnswerNoSessionAsync(context, site.Options.ExpiredSession);
            return null;
        }

        return caller;
    }

    private static Task AnswerNoSessionAsync(HttpContext context, ExpiredSessionAnswer answer)
    {
        switch (answer)
        {
            case ExpiredSessionAnswer.LoginPage:
                return Responses.HtmlAsync(context, StatusCodes.Status200OK, Responses.LoginPage);
            case ExpiredSessionAnswer.Redirect:
                context.Response.Headers.Location = BasePath + "/login";
                return Responses.HtmlAsync(context, StatusCodes.Status302Found, Responses.LoginPage);
            default:
                return Responses.JsonAsync(context, StatusCodes.Status401Unauthorized, """{"error":"session_expired"}"""u8.ToArray());
        }
    }

    private static SimJob? FindJob(SimAccount account, long employeeId, long payRuleId) =>
        account.Jobs.FirstOrDefault(j => j.EmployeeId == employeeId && j.PayRuleId == payRuleId);

    private static (DateOnly Start, DateOnly End)? ParseRange(string start, string end) =>
        DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) &&
        DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) &&
        from <= to
            ? (from, to)
            : null;
}

/// <summary>The site's services, injected together into the endpoints.</summary>
internal sealed class SiteServices(
    AccountDirectory accounts,
    SessionStore sessions,
    FaultInjector faults,
    PunchGenerator punches,
    SimulatorStats stats,
    TimeProvider time,
    IOptions<SimulatorOptions> options)
{
    public AccountDirectory Accounts { get; } = accounts;

    public SessionStore Sessions { get; } = sessions;

    public FaultInjector Faults { get; } = faults;

    public PunchGenerator Punches { get; } = punches;

    public SimulatorStats Stats { get; } = stats;

    public TimeProvider Time { get; } = time;

    public SimulatorOptions Options { get; } = options.Value;
}
