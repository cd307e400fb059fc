using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

public sealed record KronosConnectionInput(string BaseUrl, string Username, string? Password, string TimeZone);

/// <summary>
/// A user's Kronos connection. The password is encrypted for its user (<see cref="ConnectionPasswords"/>) with keys
/// that are themselves encrypted with a secret kept outside the database, so a copy of the database alone does not
/// reveal it; only the sync reads it back, and nothing ever prints it.
/// </summary>
public sealed class KronosConnections(IDbContextFactory<PayTrackDbContext> contexts, ConnectionPasswords passwords, TimeProvider clock)
{
    public async Task<KronosConnection?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KronosConnections.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
    }

    /// <summary>Creates or replaces the user's connection; a null password keeps the stored one. Returns an error sentence or null.</summary>
    public async Task<string?> SaveAsync(string userId, KronosConnectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Uri.TryCreate(input.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "The address must be a full http(s) URL, for example https://timecard.example.edu/api.";
        }

        if (string.IsNullOrWhiteSpace(input.Username))
        {
            return "The username is required.";
        }

        if (!ShiftBuilder.IsKnownZone(input.TimeZone))
        {
            return $"'{input.TimeZone}' is not a known time zone; use an IANA name such as America/New_York.";
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = await db.KronosConnections.FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        if (connection is null)
        {
            if (string.IsNullOrEmpty(input.Password))
            {
                return "The password is required.";
            }

            connection = new KronosConnection
            {
                UserId = userId,
                BaseUrl = input.BaseUrl,
                Username = input.Username,
                ProtectedPassword = passwords.Protect(userId, input.Password),
                TimeZone = input.TimeZone,
                Status = KronosConnectionStatus.Pending,
                CreatedAt = now,
            };
            db.KronosConnections.Add(connection);
        }
        else
        {
            connection.BaseUrl = input.BaseUrl;
            connection.Username = input.Username;
            connection.TimeZone = input.TimeZone;
            if (!string.IsNullOrEmpty(input.Password))
            {
                connection.ProtectedPassword = passwords.Protect(userId, input.Password);
            }

            connection.Status = KronosConnectionStatus.Pending;
            connection.LastError = null;
        }

        connection.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>The password in clear, for signing in to the site; never log or display it.</summary>
    public string RevealPassword(KronosConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return passwords.Unprotect(connection.UserId, connection.ProtectedPassword);
    }
}
