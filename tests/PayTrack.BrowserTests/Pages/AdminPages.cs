using Microsoft.Playwright;

namespace PayTrack.BrowserTests.Pages;

/// <summary>The admin page: its users table, the "Run catchup" buttons and the live list of running jobs.</summary>
public sealed class AdminPage(IPage page)
{
    public ILocator Notice => page.GetByTestId("admin-notice");

    public ILocator RunningNow => page.GetByTestId("running-now");

    /// <summary>The progress bar of the one run listed under "Running now".</summary>
    public ILocator RunningBar => RunningNow.Locator("[data-run-id] progress");

    public ILocator RunningLabel => RunningNow.Locator("[data-run-id] [data-run-label]");

    /// <summary>
    /// Opens the page and waits for its circuit: its buttons work only then, and a click while the prerendered page is
    /// being taken over by the live one can be lost (seen once in a full run on two busy cores).
    /// </summary>
    public async Task OpenAsync(string? search = null)
    {
        await page.GotoAsync(search is null ? "/admin" : "/admin?q=" + Uri.EscapeDataString(search));
        await OverviewPage.InteractiveAsync(page);
    }

    public ILocator UserRow(string email) => page.GetByTestId("user-" + email);

    public async Task RunCatchupAsync(string email) =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Run catchup for " + email }).ClickAsync();
}
