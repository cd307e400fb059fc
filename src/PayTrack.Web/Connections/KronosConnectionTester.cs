using System.Globalization;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Connections;

/// <summary>
/// "Test connection": signs in to the site and lists the account's jobs, storing nothing. On the settings page any user
/// can ask the server to reach an address with it, so there a failure says the same short sentence whatever failed
/// inside (no answer, a refused address, an error page, a wrong password): the answer teaches nothing about other
/// hosts. The operator's own command (<c>kronos connect</c>) gets the reason.
/// </summary>
public sealed class KronosConnectionTester(KronosClient client, ConnectionTestThrottle throttle)
{
    public const string Failed = "PayTrack could not sign in to Kronos with this address, username and password. Check all three and try again.";

    /// <summary>A user's test from the settings page: at most one every few seconds, one sentence for every failure.</summary>
    public async Task<Outcome> TestForAsync(string userId, KronosConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        if (!throttle.TryStart(userId))
        {
            return Outcome.Busy(ConnectionTestThrottle.Message);
        }

        var result = await TestAsync(settings, cancellationToken);
        if (!result.Succeeded)
        {
            return Outcome.Failed(Failed);
        }

        throttle.Succeeded(userId);
        return result;
    }

    /// <summary>The test with the reason of a failure, for the operator's command.</summary>
    public async Task<Outcome> TestAsync(KronosConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        using var session = client.OpenSession(settings);
        var jobs = await client.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return Outcome.Failed(jobs.Failure.Message);
        }

        var names = jobs.Value.Select(j => string.IsNullOrWhiteSpace(j.DepartmentDesc)
            ? string.Create(CultureInfo.InvariantCulture, $"job {j.EmployeeId}/{j.PayRuleId}")
            : j.DepartmentDesc);
        return Outcome.Ok($"Signed in to Kronos as {settings.Username}. Jobs found: {string.Join(", ", names)}.");
    }
}
