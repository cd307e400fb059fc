using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Connections;

public sealed record KronosConnectionInput(string BaseUrl, string Username, string? Password, string TimeZone);

/// <summary>
/// A user's Kronos connection, stored: saved, read back, and opened as the client's settings. The password is encrypted for its user (<see cref="ConnectionPasswords"/>) with keys
/// that are themselves encrypted with a secret kept outside the database, so a copy of the database alone does not
/// reveal it; only the sync reads it back, and nothing ever prints it.
/// The owner of <c>kronos_connections</c> (decision 0030): with <see cref="ConnectionOutcomes"/>, the only SQL naming
/// it. A statement of another folder that must read a connection in the same statement (the sync's claim, the daily
/// sweep, a page's one round trip) joins one of the relations below, each a SELECT of this table as a subquery,
/// which PostgreSQL inlines: the plan is the plain join's.
/// </summary>
public sealed class KronosConnections(IDbContextFactory<PayTrackDbContext> contexts, ConnectionPasswords passwords, TimeProvider clock)
{
    /// <summary>Each connection as the sync opens it, by <c>user_id</c>; read a row with <see cref="ReadForSync"/>.</summary>
    public const string ForSyncSql = """
        SELECT user_id, id, base_url, username, protected_password, time_zone, login_path, employee_path, timecard_path,
               session_cookie_name, status
        FROM kronos_connections
        """;

    /// <summary>The users the daily update asks Kronos about: every connection whose password Kronos has not rejected.</summary>
    public const string ToUpdateSql = "SELECT user_id FROM kronos_connections WHERE status <> 'credentials_rejected'";

    /// <summary>The users the daily update skips until they save new credentials: Kronos rejected their password.</summary>
    public const string RejectedSql = "SELECT user_id FROM kronos_connections WHERE status = 'credentials_rejected'";

    /// <summary>Each connection's state after its last sync, by <c>user_id</c>: <c>status</c>, <c>last_successful_sync_at</c>, <c>last_error</c>.</summary>
    public const string StatesSql = "SELECT user_id, status, last_successful_sync_at, last_error FROM kronos_connections";

    /// <summary>Each connection's time zone, by <c>user_id</c>: the zone of its user's pages.</summary>
    public const string ZonesSql = "SELECT user_id, time_zone FROM kronos_connections";

    /// <summary>
    /// The connection in columns <paramref name="first"/> onwards of a row that selected <see cref="ForSyncSql"/>'s
    /// columns from <c>id</c> on, in its order; null when the user has none (a left join found no row).
    /// </summary>
    public static KronosConnection? ReadForSync(NpgsqlDataReader reader, int first, string userId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(first) ? null : new KronosConnection
        {
            Id = reader.GetInt64(first),
            UserId = userId,
            BaseUrl = reader.GetString(first + 1),
            Username = reader.GetString(first + 2),
            ProtectedPassword = reader.GetString(first + 3),
            TimeZone = reader.GetString(first + 4),
            LoginPath = Text(first + 5),
            EmployeePath = Text(first + 6),
            TimecardPath = Text(first + 7),
            SessionCookieName = Text(first + 8),
            Status = DbNames.Parse<KronosConnectionStatus>(reader.GetString(first + 9)),
        };

        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>Every user with a connection, with the e-mail (else user name) Identity holds for them.</summary>
    public static async Task<IReadOnlyList<(string UserId, string Email)>> UsersAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            SELECT u.id, coalesce(u.email, u.user_name) FROM kronos_connections c JOIN identity_users u ON u.id = c.user_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add((reader.GetString(0), reader.GetString(1)));
        }

        return users;
    }

    public async Task<KronosConnection?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KronosConnections.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
    }

    /// <summary>Creates or replaces the user's connection; a null password keeps the stored one.</summary>
    public async Task<Outcome> SaveAsync(string userId, KronosConnectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Problem(input) is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = await db.KronosConnections.FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        if (connection is null)
        {
            if (string.IsNullOrEmpty(input.Password))
            {
                return Outcome.Invalid("The password is required.");
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
            if (string.IsNullOrEmpty(input.Password) && !SameAddress(connection.BaseUrl, input.BaseUrl))
            {
                return Outcome.Invalid(AddressChanged);
            }

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
        return Outcome.Ok();
    }

    private static string? Problem(KronosConnectionInput input)
    {
        if (!Uri.TryCreate(input.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "The address must be a full http(s) URL, for example https://timecard.example.edu/api.";
        }

        if (string.IsNullOrWhiteSpace(input.Username))
        {
            return "The username is required.";
        }

        return CleaningRules.IsKnownZone(input.TimeZone) ? null : $"'{input.TimeZone}' is not a known time zone; use an IANA name such as America/New_York.";
    }

    public const string AddressChanged = "The address changed: enter the password again, so that it only goes where you mean it to.";

    /// <summary>
    /// The password to sign in with: the one typed, else the saved one, but only for the address it was saved with;
    /// a changed address needs the password again. The outcome's value is the password.
    /// </summary>
    public Outcome<string> PasswordFor(KronosConnection? stored, string baseUrl, string? typed)
    {
        if (!string.IsNullOrEmpty(typed))
        {
            return Outcome.Of(typed);
        }

        if (stored is null)
        {
            return Outcome.Invalid("Enter the password of your Kronos account.");
        }

        return SameAddress(stored.BaseUrl, baseUrl) ? Outcome.Of(RevealPassword(stored)) : Outcome.Invalid(AddressChanged);
    }

    /// <summary>Two addresses are the same when they are, character for character, once trimmed (scheme and host in any case).</summary>
    public static bool SameAddress(string saved, string typed) =>
        Uri.TryCreate(saved.Trim(), UriKind.Absolute, out var a) && Uri.TryCreate(typed.Trim(), UriKind.Absolute, out var b)
            ? Uri.Compare(a, b, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0 && string.Equals(a.UserInfo, b.UserInfo, StringComparison.Ordinal)
            : string.Equals(saved.Trim(), typed.Trim(), StringComparison.Ordinal);

    /// <summary>The password in clear, for signing in to the site; never log or display it.</summary>
    public string RevealPassword(KronosConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return passwords.Unprotect(connection.UserId, connection.ProtectedPassword);
    }

    /// <summary>The connection as the client needs it, or the reason when its password cannot be read back.</summary>
    public Outcome<KronosConnectionSettings> Open(KronosConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            return Outcome.Of(SettingsFor(connection.BaseUrl, connection.Username, RevealPassword(connection), connection.TimeZone, connection));
        }
        catch (CryptographicException)
        {
            // The key that encrypted it is gone (a new deployment without the old keys): only the user can fix this.
            return Outcome.Refused("PayTrack can no longer read the saved Kronos password. Save the connection again in Settings.");
        }
    }

    /// <summary>
    /// The client's settings for typed (or stored) address, username, password and zone; a stored connection's
    /// overrides of the contract's paths and cookie name apply.
    /// </summary>
    public static KronosConnectionSettings SettingsFor(string baseUrl, string username, string password, string timeZone, KronosConnection? stored)
    {
        var settings = new KronosConnectionSettings
        {
            BaseUrl = baseUrl,
            Username = username,
            Password = password,
            TimeZone = timeZone,
        };
        return settings with
        {
            LoginPath = stored?.LoginPath ?? settings.LoginPath,
            EmployeePath = stored?.EmployeePath ?? settings.EmployeePath,
            TimecardPath = stored?.TimecardPath ?? settings.TimecardPath,
            CookieName = stored?.SessionCookieName ?? settings.CookieName,
        };
    }
}
