using System.Globalization;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Connections;

public sealed record ConnectionTestResult(bool Succeeded, string Message);

/// <summary>"Test connection" on the settings page: signs in to the site and lists the account's jobs, storing nothing.</summary>
public sealed class KronosConnectionTester(KronosClient client)
{
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
