using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>Creates the Admin role, and the first admin when PayTrack__Admin__Email and PayTrack__Admin__Password are set.</summary>
public sealed partial class AdminSeeder(UserAdministration administration, IOptions<AdminOptions> options, ILogger<AdminSeeder> logger) : IAfterMigration
{
    /// <summary>The roles, and the admin named in settings (<see cref="AdminOptions"/>) when there is one.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await administration.EnsureRolesAsync();
        var admin = options.Value;
        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            return;
        }

        var result = await administration.EnsureAdminAsync(admin.Email, admin.Password);
        if (result.Succeeded)
        {
            LogAdminReady(logger, admin.Email);
        }
        else
        {
            // Identity's error descriptions name the rule that failed, never the password itself.
            LogAdminFailed(logger, admin.Email, result.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {Email} is ready")]
    private static partial void LogAdminReady(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create the admin account {Email}: {Errors}")]
    private static partial void LogAdminFailed(ILogger logger, string email, string errors);
}
