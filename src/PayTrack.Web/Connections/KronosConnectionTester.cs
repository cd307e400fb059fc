using System.Globalization;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Connections;

public sealed record ConnectionTestResult(bool Succeeded, string Message);

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
    public async Task<ConnectionTestResult> TestForAsync(string userId, KronosConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            return new ConnectionTestResult(false, problem);
        }

        if (!throttle.TryStart(userId))
        {
            return new ConnectionTestResult(false, ConnectionTestThrottle.Message);
        }

        var result = await TestAsync(settings, cancellationToken);
        if (!result.Succeeded)
        {
            return new ConnectionTestResult(false, Failed);
        }

        throttle.Succeeded(userId);
        return result;
    }

    /// <summary>The test with the reason of a failure, for the operator's command.</summary>
    public async Task<ConnectionTestResult> TestAsync(KronosConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            return new ConnectionTestResult(false, problem);
        }

        using var session = client.OpenSession(settings);
        var jobs = await client.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return new ConnectionTestResult(false, jobs.Failure.Message);
        }

        var names = jobs.Value.Select(j => string.IsNullOrWhiteSpace(j.DepartmentDesc)
            ? string.Create(CultureInfo.InvariantCulture, $"job {j.EmployeeId}/{j.PayRuleId}")
            : j.DepartmentDesc);
        return new ConnectionTestResult(true, $"Signed in to Kronos as {settings.Username}. Jobs found: {string.Join(", ", names)}.");
    }
}
