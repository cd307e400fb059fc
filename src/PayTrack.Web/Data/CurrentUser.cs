using System.Security.Claims;

namespace PayTrack.Web.Data;

/// <summary>The one place that reads a signed-in user's id from their claims (pages, endpoints, live connections).</summary>
public static class CurrentUser
{
    /// <summary>The user's id, or null for a visitor.</summary>
    public static string? IdOrNull(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.NameIdentifier);
    }

    /// <summary>The id of a user who must be signed in (an authorized page or endpoint).</summary>
    public static string Id(ClaimsPrincipal user) =>
        IdOrNull(user) ?? throw new InvalidOperationException("A signed-in user without an id.");
}
