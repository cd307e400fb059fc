using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>Creating and listing accounts outside the browser: the first admin, and the <c>users</c> command.</summary>
public sealed class UserAdministration(UserManager<AppUser> users, RoleManager<IdentityRole> roles, TimeProvider clock)
{
    public async Task<Outcome> CreateAsync(string email, string password, bool admin, CancellationToken cancellationToken = default)
    {
        await EnsureRolesAsync();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded && admin)
        {
            result = await users.AddToRoleAsync(user, AccountsExtensions.AdminRole);
        }

        return OutcomeOf(result);
    }

    /// <summary>Makes sure an account exists with this e-mail, this password and the Admin role.</summary>
    public async Task<Outcome> EnsureAdminAsync(string email, string password)
    {
        await EnsureRolesAsync();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return await CreateAsync(email, password, admin: true);
        }

        if (!await users.IsInRoleAsync(user, AccountsExtensions.AdminRole))
        {
            return OutcomeOf(await users.AddToRoleAsync(user, AccountsExtensions.AdminRole));
        }

        return Outcome.Ok();
    }

    /// <summary>Identity's result in PayTrack's shape; its error descriptions name the rule that failed, never the password.</summary>
    private static Outcome OutcomeOf(IdentityResult result) =>
        result.Succeeded ? Outcome.Ok() : Outcome.Invalid(string.Join(" ", result.Errors.Select(e => e.Description)));

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var adminIds = (await users.GetUsersInRoleAsync(AccountsExtensions.AdminRole)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return all.Select(u => new UserSummary(u.Email ?? u.UserName ?? u.Id, adminIds.Contains(u.Id), u.CreatedAt, u.LockoutEnd > clock.GetUtcNow())).ToList();
    }

    public async Task EnsureRolesAsync()
    {
        if (!await roles.RoleExistsAsync(AccountsExtensions.AdminRole))
        {
            await roles.CreateAsync(new IdentityRole(AccountsExtensions.AdminRole));
        }
    }
}

public sealed record UserSummary(string Email, bool IsAdmin, DateTimeOffset CreatedAt, bool LockedOut);
