using Microsoft.Playwright;

namespace PayTrack.BrowserTests.Pages;

/// <summary>The overview: figures, cap meter, charts.</summary>
public sealed class OverviewPage(IPage page)
{
    public ILocator WeekHours => page.GetByTestId("stat-week-hours");

    public ILocator WeekPay => page.GetByTestId("stat-week-pay");

    public ILocator DemoBanner => page.GetByTestId("demo-banner");

    public async Task OpenAsync() => await page.GotoAsync("/");

    /// <summary>Waits until the page's circuit is up: from then on it follows new data and its buttons work.</summary>
    public static async Task InteractiveAsync(IPage page) =>
        await Assertions.Expect(page.GetByTestId("interactive")).ToHaveAttributeAsync("data-interactive", "true");

    /// <summary>Waits until every chart on the page has been drawn by ApexCharts.</summary>
    public static async Task ChartsDrawnAsync(IPage page, int count)
    {
        await Assertions.Expect(page.Locator(".chart[data-rendered=\"true\"]")).ToHaveCountAsync(count);
        await Assertions.Expect(page.Locator(".chart .apexcharts-canvas")).ToHaveCountAsync(count);
    }
}

public sealed class ChartsPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("/charts");
}

public sealed class SettingsPage(IPage page)
{
    /// <summary>Opens the page and waits for its circuit: the interactive render replaces the prerendered form fields.</summary>
    public async Task OpenAsync()
    {
        await page.GotoAsync("/settings");
        await OverviewPage.InteractiveAsync(page);
    }

    public async Task ImportBackupAsync(string path)
    {
        await page.GetByTestId("import-form").Locator("input[type=file]").SetInputFilesAsync(path);
        await page.GetByTestId("import-form").GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
    }

    public ILocator ImportResult => page.GetByTestId("import-result");
}

public sealed class ShiftsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/shifts");
        await OverviewPage.InteractiveAsync(page);
    }

    public async Task AddShiftAsync(string job, string date, string start, string end, string note)
    {
        var form = page.GetByTestId("shift-form");
        await form.GetByLabel("Job").SelectOptionAsync(new SelectOptionValue { Label = job });
        await form.GetByLabel("Date").FillAsync(date);
        await form.GetByLabel("Start").FillAsync(start);
        await form.GetByLabel("End").FillAsync(end);
        await form.GetByLabel("Note").FillAsync(note);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add shift" }).ClickAsync();
    }

    public ILocator Message => page.GetByTestId("shifts-message");

    public ILocator CsvLink => page.GetByTestId("csv-export");
}

/// <summary>The settings page once its circuit is up: every section's form runs on it.</summary>
public sealed class LiveSettingsPage(IPage page)
{
    public ILocator Kronos => page.GetByTestId("kronos-section");

    public ILocator Pay => page.GetByTestId("pay-section");

    public ILocator Terms => page.GetByTestId("terms-section");

    public ILocator Tokens => page.GetByTestId("tokens-section");

    public ILocator Notion => page.GetByTestId("notion-section");

    public ILocator Timecard => page.GetByTestId("timecard-status");

    public async Task OpenAsync()
    {
        await page.GotoAsync("/settings");
        await OverviewPage.InteractiveAsync(page);
    }

    public async Task FillKronosAsync(string address, string username, string password)
    {
        await Kronos.GetByLabel("Site address").FillAsync(address);
        await Kronos.GetByLabel("Username").FillAsync(username);
        await Kronos.GetByLabel("Password").FillAsync(password);
    }

    public static Task ClickAsync(ILocator section, string button) => section.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
}
