using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Dashboard;

/// <summary>PayTrack on its own database at a fixed moment: Wednesday 2024-12-11, 15:00 in New York.</summary>
public class DashboardAppFactory : PayTrackAppFactory
{
    public static readonly DateTimeOffset Wednesday = new(2024, 12, 11, 20, 0, 0, TimeSpan.Zero);

    public DashboardAppFactory()
    {
        Clock = new TestClock(Wednesday);
    }

    public TestClock TestClock => (TestClock)Clock!;
}

internal static partial class DashboardTestKit
{
    /// <summary>
    /// The worked example of the overview tests (New York times, week Sunday 8 to Saturday 14 December 2024, biweekly
    /// periods from 2024-01-07, so 8 to 21 December is a pay period paid on the 27th, and 24 November to 7 December is
    /// paid on Friday the 13th). Library pays $14.20, Dining $15.00.
    /// </summary>
    public static readonly IReadOnlyList<JobTimecard> WorkedExample =
    [
        Timecard(10234, 7,
        [
            Period("2023-12-24", "2024-01-06", Punch("L-2023", "2023-12-30T14:00:00Z", "2023-12-30T16:00:00Z")),
            Period("2024-11-24", "2024-12-07", Punch("L-dec2", "2024-12-02T14:00:00Z", "2024-12-02T17:00:00Z")),
            Period("2024-12-08", "2024-12-21",
                Punch("L-dec8", "2024-12-08T14:00:00Z", "2024-12-08T18:00:00Z"),
                Punch("L-dec10", "2024-12-10T13:00:00Z", "2024-12-10T21:00:00Z")),
        ]),
        Timecard(20417, 3,
        [
            Period("2024-02-25", "2024-03-09", Punch("D-mar5", "2024-03-05T14:00:00Z", "2024-03-05T16:00:00Z")),
            Period("2024-12-08", "2024-12-21",
                Punch("D-dec9", "2024-12-09T15:00:00Z", "2024-12-09T23:00:00Z"),
                Punch("D-dec10-open", "2024-12-10T22:00:00Z", null),
                Punch("D-dec11", "2024-12-11T13:00:00Z", "2024-12-11T17:00:00Z")),
        ]),
    ];

    public static string SeedBackupPath => Path.Combine(PayTrackProcess.RepoRoot, "seed-data", "demo-backup.json");

    /// <summary>A new account and a client signed in as it through the real sign-in page.</summary>
    public static async Task<(string UserId, HttpClient Client)> SignedInAsync(this PayTrackAppFactory app, string email)
    {
        var userId = await app.CreateUserAsync(email);
        return (userId, await app.Browser().SignInAsync(email, Password));
    }

    public static async Task<IngestResult> ImportSeedBackupAsync(this PayTrackAppFactory app, string userId)
    {
        await using var file = File.OpenRead(SeedBackupPath);
        var result = await app.Service<BackupImport>().ImportAsync(userId, file, CancellationToken.None);
        Assert.True(result.Succeeded, result.Summary);
        return result;
    }

    /// <summary>The text inside the first element carrying data-testid="<paramref name="testId"/>", tags stripped.</summary>
    public static string TestIdText(string html, string testId)
    {
        var match = Regex.Match(html, $"""<(?<tag>[a-z0-9]+)\b[^>]*data-testid="{Regex.Escape(testId)}"[^>]*>(?<inner>.*?)</\k<tag>>""", RegexOptions.Singleline);
        Assert.True(match.Success, $"no element with data-testid=\"{testId}\" in the page");
        return Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(match.Groups["inner"].Value, " ")), " ").Trim();
    }

    public static int CountTestId(string html, string testId) => Regex.Count(html, $"""data-testid="{Regex.Escape(testId)}"[ >]""");

    /// <summary>The JSON a chart is drawn from (its data-chart-spec attribute).</summary>
    public static string ChartJson(string html, string chartId)
    {
        var match = Regex.Match(html, $"""data-chart-id="{Regex.Escape(chartId)}" data-chart-spec="(?<json>[^"]*)" """, RegexOptions.Singleline);
        Assert.True(match.Success, $"no spec for chart {chartId}");
        return WebUtility.HtmlDecode(match.Groups["json"].Value);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
