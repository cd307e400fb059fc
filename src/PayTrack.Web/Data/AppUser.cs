using Microsoft.AspNetCore.Identity;

namespace PayTrack.Web.Data;

/// <summary>A PayTrack account. Everything a user owns hangs off its <see cref="IdentityUser.Id"/>.</summary>
public sealed class AppUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
