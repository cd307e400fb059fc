using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Jobs;

/// <summary>A stored connection as the Kronos client needs it.</summary>
public static class StoredConnection
{
    /// <summary>The client's settings for a stored connection; its overrides of the contract's paths and cookie name apply.</summary>
    public static KronosConnectionSettings SettingsFor(KronosConnection connection, string password)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var settings = new KronosConnectionSettings
        {
            BaseUrl = connection.BaseUrl,
            Username = connection.Username,
            Password = password,
            TimeZone = connection.TimeZone,
        };
        return settings with
        {
            LoginPath = connection.LoginPath ?? settings.LoginPath,
            EmployeePath = connection.EmployeePath ?? settings.EmployeePath,
            TimecardPath = connection.TimecardPath ?? settings.TimecardPath,
            CookieName = connection.SessionCookieName ?? settings.CookieName,
        };
    }

    /// <summary>The connection as the client needs it, or null with the reason when its password cannot be read back.</summary>
    public static (KronosConnectionSettings? Settings, string? Problem) Open(KronosConnections connections, KronosConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connections);
        try
        {
            return (SettingsFor(connection, connections.RevealPassword(connection)), null);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key that encrypted it is gone (a new deployment without the old keys): only the user can fix this.
            return (null, "PayTrack can no longer read the saved Kronos password. Save the connection again in Settings.");
        }
    }
}
