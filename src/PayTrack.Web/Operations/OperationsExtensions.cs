using System.Security.Cryptography;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PayTrack.Web.Data;

namespace PayTrack.Web.Operations;

public static class OperationsExtensions
{
    private const string NonceKey = "paytrack.csp-nonce";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DiagnosticsOptions>().BindConfiguration(DiagnosticsOptions.Section);
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        builder.AddProxies();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<PayTrackDbContext>("database", tags: ["ready"])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"]);
        return builder;
    }

    /// <summary>The per-request nonce of the Content-Security-Policy, for the few elements that need one.</summary>
    public static string CspNonce(this HttpContext context) => (string)context.Items[NonceKey]!;

    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseProxies();
        // Errors render a page that says only what happened, never why: details stay in the log.
        app.UseExceptionHandler("/error/500", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(static (context, next) =>
        {
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // Hex: the same text in the header and in HTML-encoded attributes.
            context.Items[NonceKey] = nonce;
            var headers = context.Response.Headers;
            // The Hangfire Dashboard writes inline styles (style="" and its charts): it alone may; its scripts are files only.
            var dashboard = context.Request.Path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase);
            var styles = dashboard ? "'self' 'unsafe-inline'" : $"'self' 'nonce-{nonce}'";
            // Elsewhere the nonce admits exactly one inline element: Blazor's import map (<ImportMap>); scripts are files.
            var scripts = dashboard ? "'self'" : $"'self' 'nonce-{nonce}'";
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src {scripts}; " +
                $"style-src {styles}; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next(context);
        });
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return endpoints;
    }
}
