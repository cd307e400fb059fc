using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// On a fresh install with no admin configured, the first account registered on the register page becomes the admin
/// (PayTrack:Accounts:FirstUserIsAdmin, on by default). "First" is the oldest account that has a password (the demo
/// account has none), decided under a database lock, so two registrations at once make exactly one admin, and an
/// install that already has accounts never hands the role to a newcomer.
/// </summary>
public sealed partial class FirstAdmin(
    PayTrackDbContext db,
    UserManager<AppUser> users,
    UserAdministration administration,
    IOptions<AccountOptions> accounts,
    IOptions<AdminOptions> admin,
    ILogger<FirstAdmin> logger)
{
    // pg_advisory_xact_lock key: "PTFA" (PayTrack first admin).
    private const long LockKey = 0x50544641;

    private bool Applies => accounts.Value.FirstUserIsAdmin && !admin.Value.IsConfigured;

    /// <summary>Whether the next account registered will become the admin (what the register page tells visitors).</summary>
    public async Task<bool> NextRegistrationBecomesAdminAsync(CancellationToken cancellationToken = default) =>
        Applies && !await AnyAdminAsync(cancellationToken) && !await db.Users.AnyAsync(u => u.PasswordHash != null, cancellationToken);

    /// <summary>Gives a just-registered account the Admin role when it is the install's first; true when it did.</summary>
    public async Task<bool> PromoteIfFirstAsync(AppUser user, CancellationToken cancellationToken = default)
    {
        if (!Applies)
        {
            return false;
        }

        await administration.EnsureRolesAsync();
        var strategy = db.Database.CreateExecutionStrategy();
        var promoted = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
            var first = await db.Users.Where(u => u.PasswordHash != null)
                .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
                .Select(u => u.Id).FirstOrDefaultAsync(ct);
            if (first != user.Id || await AnyAdminAsync(ct))
            {
                return false;
            }

            var result = await users.AddToRoleAsync(user, AccountsExtensions.AdminRole);
            await transaction.CommitAsync(ct);
            return result.Succeeded;
        }, cancellationToken);

        if (promoted)
        {
            LogFirstAdmin(logger, user.Id);
        }

        return promoted;
    }

    private async Task<bool> AnyAdminAsync(CancellationToken cancellationToken)
    {
        var roleId = await db.Roles.Where(r => r.Name == AccountsExtensions.AdminRole).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return roleId is not null && await db.UserRoles.AnyAsync(ur => ur.RoleId == roleId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The first account registered, user {UserId}, is now the admin (PayTrack:Accounts:FirstUserIsAdmin)")]
    private static partial void LogFirstAdmin(ILogger logger, string userId);
}
