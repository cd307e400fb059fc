using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;

namespace PayTrack.Web.Components.Account;

public static class AccountsExtensions
{
    public const string AdminRole = Roles.Admin;

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        var accounts = builder.Configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new AccountOptions();

        builder.Services
            .AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.SignIn.RequireConfirmedAccount = accounts.RequireConfirmedEmail;
                o.SignIn.RequireConfirmedEmail = accounts.RequireConfirmedEmail;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
            })
            .AddEntityFrameworkStores<PayTrackDbContext>()
            .AddDefaultTokenProviders();
        AddSignInProtection(builder.Services);

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "paytrack.auth";
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is HTTPS, also behind a proxy that terminates TLS (forwarded headers).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            // A signed-in user without the right role gets a real 403 (rendered by the error page), not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            // Scripts and API clients get 401 instead of the sign-in page's HTML.
            // A JSON problem document, written here so the status-code pages do not turn it into the HTML error page.
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                    || context.Request.Path.StartsWithSegments("/export", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    return Results.Problem(
                        statusCode: StatusCodes.Status401Unauthorized,
                        title: "Not signed in",
                        detail: "Send a personal access token as 'Authorization: Bearer <token>' (create one on the settings page), or sign in.")
                        .ExecuteAsync(context.HttpContext);
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminRole, p => p.RequireRole(AdminRole));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IAfterMigration, AdminSeeder>();
        builder.Services.AddScoped<UserAdministration>().AddScoped<FirstAdmin>().AddSingleton<AccountDeletion>();
        return builder;
    }

    /// <summary>
    /// The session is checked on every request (AddSignInProtection, <see cref="SessionCheck"/>): a session whose account
    /// is gone or whose password changed is signed out. A check that passes does not re-issue the cookie: a request still
    /// in flight when the user signs out would otherwise sign them back in. Only when the account gained or lost the Admin
    /// role (an admin's action, rare) is the principal built again by Identity, and the cookie re-issued with it.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        switch (context.Principal is null ? SessionState.Ended : await check.CheckAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            case SessionState.Ended:
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                break;
            case SessionState.RoleChanged:
                await SecurityStampValidator.ValidatePrincipalAsync(context);
                break;
        }
    }

    private static void AddSignInProtection(IServiceCollection services)
    {
        // A password change (a new security stamp) ends the account's other sessions at their next request (SessionCheck);
        // open interactive pages find out within PayTrack:Accounts:SessionCheckInterval (SessionRevalidation). Identity's
        // validator runs only on a role change, and then at once (interval zero).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.ConfigureApplicationCookie(o => o.Events.OnValidatePrincipal = ValidateSessionAsync);
        services.AddScoped<SessionCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, SessionRevalidation>());
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordSignIn>();
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        // Sign-out is a POST from a form carrying an antiforgery token.
        endpoints.MapPost("/account/logout", async (HttpContext context, SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            var returnUrl = await FormFields.ReadAsync(context.Request, "returnUrl", context.RequestAborted);
            return TypedResults.LocalRedirect("~" + LocalUrl.OrHome(returnUrl));
        }).RequireAuthorization().RequireAntiforgeryToken();
        return endpoints;
    }
}
