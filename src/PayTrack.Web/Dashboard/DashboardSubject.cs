using System.Security.Claims;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Dashboard;

/// <summary>
/// Whose timecard a dashboard page shows: the signed-in user's, or, for a visitor, the demo account's.
/// <see cref="FixedToday"/> pins "today" for the demo, whose data ends in the past.
/// </summary>
public sealed record DashboardSubject(string UserId, bool IsDemo, DateOnly? FixedToday);

public sealed class DashboardSubjects(DemoAccount demo, IOptions<DemoOptions> options)
{
    /// <summary>The subject for this request; null for a visitor when there is no demo.</summary>
    public async Task<DashboardSubject?> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated == true)
        {
            return UserOf(user);
        }

        if (!options.Value.Enabled)
        {
            return null;
        }

        var demoId = await demo.UserIdAsync(cancellationToken);
        return demoId is null ? null : new DashboardSubject(demoId, IsDemo: true, options.Value.Today);
    }

    public static DashboardSubject UserOf(ClaimsPrincipal user)
    {
        return new DashboardSubject(CurrentUser.Id(user), IsDemo: false, FixedToday: null);
    }
}
