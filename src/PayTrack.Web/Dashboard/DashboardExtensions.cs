using PayTrack.Web.Pay;

namespace PayTrack.Web.Dashboard;

public static class DashboardExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoAccount>();
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddSingleton<DashboardSubjects>();
        builder.Services.AddSingleton<PayProfiles>();
        builder.Services.AddSingleton<OverviewQueries>();
        builder.Services.AddSingleton<ChartQueries>();
        builder.Services.AddSingleton<ShiftListQueries>();
        builder.Services.AddSingleton<SummaryQueries>();
        builder.Services.AddSingleton<StudentPayQueries>();
        return builder;
    }
}
