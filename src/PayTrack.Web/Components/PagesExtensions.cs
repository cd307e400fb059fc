namespace PayTrack.Web.Components;

public static class PagesExtensions
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
        return builder;
    }

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>();
        return endpoints;
    }
}
