using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Web.Components.Pages.Dashboard;
using PayTrack.Web.Components.Pages.Shifts;

namespace PayTrack.Web.Dashboard;

public static class DashboardExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DiagnosticsOptions>().BindConfiguration(DiagnosticsOptions.Section);
        builder.Services.AddSingleton<DemoAccount>();
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddSingleton<DashboardSubjects>();
        builder.Services.AddSingleton<PayProfiles>();
        builder.Services.AddSingleton<OverviewQueries>();
        builder.Services.AddSingleton<ChartQueries>();
        builder.Services.AddSingleton<ShiftListQueries>();
        builder.Services.AddSingleton<SummaryQueries>();
        builder.Services.AddSingleton<PaySettingsStore>();
        builder.Services.AddSingleton<AccountDeletion>();
        return builder;
    }

    /// <summary>
    /// The htmx fragments the live pages reload when new data lands: the overview's body and the shifts table.
    /// Visitors get the demo's, like the pages themselves.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/fragments/overview", async (HttpContext http, DashboardSubjects subjects, OverviewQueries queries, CancellationToken cancellationToken) =>
        {
            var subject = await subjects.ForAsync(http.User, cancellationToken);
            if (subject is null)
            {
                return Results.NotFound();
            }

            var overview = await queries.LoadAsync(subject, cancellationToken);
            http.RecordDatabaseTime(overview.QueryTime);
            http.RecordPayTime(overview.PayTime);
            return new RazorComponentResult<OverviewBody>(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [nameof(OverviewBody.Model)] = overview,
                [nameof(OverviewBody.UserName)] = http.User.Identity?.Name,
            });
        });

        endpoints.MapGet("/fragments/shifts", async (HttpContext http, DashboardSubjects subjects, ShiftListQueries queries, CancellationToken cancellationToken) =>
        {
            var subject = await subjects.ForAsync(http.User, cancellationToken);
            if (subject is null)
            {
                return Results.NotFound();
            }

            var filter = ShiftQuery.Parse(http.Request.Query, out _);
            var page = await queries.ListAsync(subject, filter, cancellationToken);
            return new RazorComponentResult<ShiftsTable>(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [nameof(ShiftsTable.Model)] = page,
                [nameof(ShiftsTable.ReadOnly)] = subject.IsDemo,
            });
        });
        return endpoints;
    }
}
