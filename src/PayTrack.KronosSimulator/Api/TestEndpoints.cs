using System.Globalization;
using PayTrack.KronosSimulator.Data;
using PayTrack.KronosSimulator.Site;

namespace PayTrack.KronosSimulator.Api;

/// <summary>
/// The simulator's back door, under /_sim (not part of any real site): ground truth, statistics and faults at run time,
/// for tests and benchmarks that check what a client fetched against what the site holds.
/// </summary>
internal static class TestEndpoints
{
    public static IEndpointRouteBuilder MapTestEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var sim = endpoints.MapGroup("/_sim");
        sim.MapGet("/truth/{username}", TruthAsync);
        sim.MapGet("/stats", (SimulatorStats stats) => TypedResults.Ok(stats.Snapshot()));
        sim.MapPost("/stats/reset", (SimulatorStats stats) =>
        {
            stats.Reset();
            return TypedResults.NoContent();
        });
        sim.MapPut("/faults", (FaultOptions faults, FaultInjector injector) =>
        {
            injector.SetGlobal(faults);
            return TypedResults.NoContent();
        });
        sim.MapPut("/faults/{username}", (string username, FaultOptions faults, FaultInjector injector) =>
        {
            injector.SetAccount(username, faults);
            return TypedResults.NoContent();
        });
        sim.MapDelete("/faults", (FaultInjector injector) =>
        {
            injector.Reset();
            return TypedResults.NoContent();
        });
        return endpoints;
    }

    /// <summary>
    /// GET /_sim/truth/{username}?from=&amp;to=: every job's punches that the site considers true now, in the backup file's
    /// shape. The range defaults to the first hire date through today.
    /// </summary>
    private static async Task TruthAsync(HttpContext context, SiteServices site, string username, string? from, string? to)
    {
        if (site.Accounts.Find(username) is not { } account)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "No such account");
            return;
        }

        var now = site.Time.GetUtcNow();
        DateOnly start;
        DateOnly end;
        if (!TryParseDay(from, account.Jobs.Count == 0 ? site.Accounts.Today : account.Jobs.Min(j => j.HireDate), out start) ||
            !TryParseDay(to, site.Accounts.Today, out end) || start > end)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", "from and to are YYYY-MM-DD, from not after to");
            return;
        }

        var timecards = account.Jobs.Select(job => (job, site.Punches.Timecard(account, job, start, end, now)));
        await Responses.JsonAsync(context, StatusCodes.Status200OK, Responses.Render(json => WireWriter.WriteTruth(json, account, timecards)));
    }

    private static bool TryParseDay(string? text, DateOnly fallback, out DateOnly day)
    {
        if (string.IsNullOrEmpty(text))
        {
            day = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
