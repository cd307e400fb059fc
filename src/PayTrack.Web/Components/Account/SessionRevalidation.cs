using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// The signed-in user of an open interactive page (a Blazor circuit), checked again every
/// <see cref="AccountOptions.SessionCheckInterval"/>: when the password changed elsewhere (a new security stamp) or the
/// account is gone, the page's user becomes anonymous and the page reloads, so a session ends on open pages too, not
/// only at its next request.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<AccountOptions> accounts)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => accounts.Value.SessionCheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsCurrentAsync(users, authenticationState.User, identity.Value.ClaimsIdentity.SecurityStampClaimType);
    }

    /// <summary>Whether the principal's account still exists with the security stamp it signed in with.</summary>
    internal static async Task<bool> IsCurrentAsync(UserManager<AppUser> users, ClaimsPrincipal principal, string stampClaimType)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        return !users.SupportsUserSecurityStamp
            || string.Equals(principal.FindFirstValue(stampClaimType), await users.GetSecurityStampAsync(user), StringComparison.Ordinal);
    }
}
