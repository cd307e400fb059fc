using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Pages;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;

namespace PayTrack.BrowserTests;

/// <summary>
/// The one browser-test fixture: PayTrack on a real Kestrel port with its own database, and Debian's Chromium driven
/// by Playwright (no browser download: PLAYWRIGHT_CHROMIUM_PATH or /usr/bin/chromium). PayTrack's clock runs in real
/// time until a test class puts it on another date (<see cref="Clock"/>); such a class has a collection of its own, so
/// it gets an instance of its own.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    /// <summary>The password of every account <see cref="CreateUserAsync"/> makes.</summary>
    public const string Password = "Browser-tests1!";

    private IPlaywright? _playwright;

    public BrowserFixture()
    {
        App.Clock = Clock;
    }

    /// <summary>Where the two screenshots the README shows are written.</summary>
    public static string NotesFolder => Path.Combine(PayTrackProcess.RepoRoot, "Notes");

    /// <summary>Where other screenshots go: the test run's own folder, never a tracked one.</summary>
    public static string ScreenshotsFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string SeedBackup => Path.Combine(PayTrackProcess.RepoRoot, "seed-data", "demo-backup.json");

    /// <summary>PayTrack's clock: real time, running, until a test sets it.</summary>
    public TestClock Clock { get; } = TestClock.Running(DateTimeOffset.UtcNow);

    // Open pages check their session every 2 s (a password change elsewhere ends it), so a test sees it soon. The
    // simulator's Notion listens on loopback, which PayTrack refuses to call unless told otherwise.
    public PayTrackAppFactory App { get; } = new PayTrackAppFactory { RealServer = true }
        .WithSetting("PayTrack:Accounts:SessionCheckInterval", "00:00:02")
        .WithSetting("PayTrack:Notion:AllowPrivateAddresses", "true");

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

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

    /// <summary>A fresh browser context (its own cookies) whose page records console errors and CSP violations.</summary>
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

    public T Service<T>()
        where T : notnull => App.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    /// <summary>A new account with <see cref="Password"/>; returns its id.</summary>
    public async Task<string> CreateUserAsync(string email, bool admin = false)
    {
        using var scope = App.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, Password, admin);
        Assert.True(result.Succeeded, result.Message);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>Signs the page in through the real sign-in page as an account <see cref="CreateUserAsync"/> made.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await new LoginPage(page).OpenAsync();
        await new LoginPage(page).SignInAsync(email, Password);
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
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>The dashboard's tests: a PayTrack of their own, whose clock they put on a date the seed backup covers.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardBrowserGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "dashboard-browser";
}

/// <summary>A page plus everything it reported as a problem: console errors, uncaught exceptions, CSP violations.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && !message.Text.Contains("favicon", StringComparison.Ordinal))
            {
                lock (_problems)
                {
                    _problems.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_problems)
            {
                _problems.Add("page error: " + error);
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// Fails with every problem in full (a server-side failure shows in the browser only as the first words of
    /// Blazor's console line, which is all a collection assertion would print).
    /// </summary>
    public void AssertNoProblems()
    {
        var problems = Problems;
        Assert.True(problems.Count == 0, $"The page reported {problems.Count} problem(s):\n{string.Join("\n", problems)}");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
