using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.BrowserTests;

/// <summary>A clock the dashboard tests pin: the seed data ends in December 2024.</summary>
public sealed class PinnedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// Like <see cref="BrowserFixture"/>, with PayTrack's clock on Wednesday 2024-12-11 (15:00 in New York), so an imported
/// copy of the seed backup has a current week, pay period and year to show.
/// </summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2024, 12, 11, 20, 0, 0, TimeSpan.Zero);

    private IPlaywright? _playwright;

    public PayTrackAppFactory App { get; } = new() { RealServer = true, Clock = new PinnedClock(Now) };

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    public static string NotesFolder => Path.Combine(PayTrackProcess.RepoRoot, "Notes");

    public static string SeedBackup => Path.Combine(PayTrackProcess.RepoRoot, "seed-data", "demo-backup.json");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task<WatchedPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            ColorScheme = ColorScheme.Light,
        });
        return new WatchedPage(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardBrowserGroup : ICollectionFixture<DashboardBrowserFixture>
{
    public const string Name = "dashboard-browser";
}
