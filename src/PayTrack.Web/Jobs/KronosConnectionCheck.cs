using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Jobs;

/// <summary>The outcome of trying a Kronos connection: its jobs, or what went wrong in words for the user.</summary>
public sealed record ConnectionCheckResult(bool Succeeded, string Message, IReadOnlyList<EmployeeJob> Jobs);

/// <summary>
/// Tries a connection before it is saved: signs in once and reads the account's jobs. The settings page and the
/// <c>connect</c> command both use this, so an operator's connection is tested exactly as a user's.
/// </summary>
public sealed class KronosConnectionCheck(KronosClient kronos)
{
    public async Task<ConnectionCheckResult> CheckAsync(KronosConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            return new ConnectionCheckResult(false, problem, []);
        }

        using var session = kronos.OpenSession(settings);
        var signIn = await kronos.SignInAsync(session, cancellationToken);
        if (!signIn.Succeeded)
        {
            return new ConnectionCheckResult(false, signIn.Failure.Message, []);
        }

        var jobs = await kronos.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return new ConnectionCheckResult(false, jobs.Failure.Message, []);
        }

        var names = string.Join(", ", jobs.Value.Select(j => j.DepartmentDesc ?? $"employee {j.EmployeeId}"));
        return new ConnectionCheckResult(true, $"Signed in to Kronos as {settings.Username}: {jobs.Value.Count} job(s) ({names}).", jobs.Value);
    }

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
