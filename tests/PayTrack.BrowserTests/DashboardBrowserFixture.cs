using PayTrack.Tests.Infrastructure;

namespace PayTrack.BrowserTests;

/// <summary>
/// The browser fixture with PayTrack's clock on Wednesday 2024-12-11 (15:00 in New York), so an imported copy of the
/// seed backup (it ends in December 2024) has a current week, pay period and year to show.
/// </summary>
public sealed class DashboardBrowserFixture : BrowserFixture
{
    public static readonly DateTimeOffset Now = new(2024, 12, 11, 20, 0, 0, TimeSpan.Zero);

    public DashboardBrowserFixture()
    {
        App.Clock = new SettableClock(Now);
    }

    /// <summary>Where the two screenshots the README shows are written.</summary>
    public static string NotesFolder => Path.Combine(PayTrackProcess.RepoRoot, "Notes");

    /// <summary>Where other screenshots go: the test run's own folder, never a tracked one.</summary>
    public static string ScreenshotsFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string SeedBackup => Path.Combine(PayTrackProcess.RepoRoot, "seed-data", "demo-backup.json");
}

[CollectionDefinition(Name)]
public sealed class DashboardBrowserGroup : ICollectionFixture<DashboardBrowserFixture>
{
    public const string Name = "dashboard-browser";
}
