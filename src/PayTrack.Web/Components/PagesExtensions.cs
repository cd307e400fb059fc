namespace PayTrack.Web.Components;

public static class PagesExtensions
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Blazor's browser script and the npm libraries are static web assets: from their packages and wwwroot under
        // dotnet run, bin/ and the test host (through the build's manifest), from wwwroot/ after a publish (no manifest).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DetailedErrors = builder.Environment.IsDevelopment();
            // A closed tab's circuit is kept this long for a reconnect, then its memory is freed.
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(2);
        });
        builder.Services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
        return builder;
    }

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return endpoints;
    }
}
