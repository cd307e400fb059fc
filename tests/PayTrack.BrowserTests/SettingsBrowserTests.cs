using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Pages;
using PayTrack.Web.Data;
using PayTrack.Web.Api;
using PayTrack.Web.Connections;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Notion;
using PayTrack.Web.Pay;

namespace PayTrack.BrowserTests;

[Collection(BrowserTestGroup.Name)]
public sealed class SettingsBrowserTests(BrowserFixture fixture) : SimulatedKronosTests("ana.student", latencyMs: 60)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TestConnectionKeepsThePasswordForTestAndSaveAndThePageFollowsTheSync()
    {
        var userId = await fixture.CreateUserAsync("kronos@browser-settings.test");
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await SignInAsync(page, "kronos@browser-settings.test");
        var settings = new LiveSettingsPage(page);
        await settings.OpenAsync();
        await page.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");
        await Assertions.Expect(settings.Timecard).ToContainTextAsync("Your timecard is empty.");

        await settings.FillKronosAsync(KronosAddress, "ana.student", "demo");
        await LiveSettingsPage.ClickAsync(settings.Kronos, "Test connection");

        // A test says what happened and stores nothing; the typed password waits in the form for "Test and save".
        await Assertions.Expect(page.GetByTestId("kronos-result")).ToContainTextAsync("Signed in to Kronos as ana.student.");
        await Assertions.Expect(settings.Kronos.GetByLabel("Password")).ToHaveValueAsync("demo");
        Assert.Null(await fixture.Service<KronosConnections>().FindAsync(userId, CancellationToken.None));

        await LiveSettingsPage.ClickAsync(settings.Kronos, "Test and save");
        await Assertions.Expect(page.GetByTestId("kronos-saved")).ToBeVisibleAsync();
        Assert.NotNull(await fixture.Service<KronosConnections>().FindAsync(userId, CancellationToken.None));
        await Assertions.Expect(settings.Kronos.GetByLabel("Password")).ToHaveValueAsync("");
        Assert.DoesNotContain("demo", await settings.Kronos.GetByLabel("Password").GetAttributeAsync("value") ?? "", StringComparison.Ordinal);

        // Saving started the full-history sync: the timecard section fills in as it lands, without a reload.
        await Assertions.Expect(settings.Timecard).ToContainTextAsync("Your timecard holds", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await Assertions.Expect(page.GetByTestId("sync-status")).ToContainTextAsync("Kronos: working", new() { Timeout = (float)Deadline.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"));
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task EverySectionSavesOnThePageAndASecondTabFollows()
    {
        var userId = await fixture.CreateUserAsync("sections@browser-settings.test");
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await SignInAsync(page, "sections@browser-settings.test");
        var settings = new LiveSettingsPage(page);
        await settings.OpenAsync();
        var other = new LiveSettingsPage(await page.Context.NewPageAsync());
        await other.OpenAsync();

        // Pay settings: saved on the page, and the other tab's form and words follow.
        await settings.Pay.GetByLabel("Weekly cap in hours").FillAsync("30");
        await LiveSettingsPage.ClickAsync(settings.Pay, "Save pay settings");
        await Assertions.Expect(page.GetByTestId("pay-saved")).ToBeVisibleAsync();
        await Assertions.Expect(settings.Pay).ToContainTextAsync("Your own settings.");
        Assert.Equal(30m, (await Profile(userId)).Options.WeeklyCapHours);
        await Assertions.Expect(other.Pay.GetByLabel("Weekly cap in hours")).ToHaveValueAsync("30.00", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await Assertions.Expect(other.Pay).ToContainTextAsync("Your own settings.");

        // Terms: added and removed in place.
        await settings.Terms.GetByLabel("Name").FillAsync("Fall 2024");
        await settings.Terms.GetByLabel("First day").FillAsync("2024-08-26");
        await settings.Terms.GetByLabel("Last day").FillAsync("2024-12-06");
        await LiveSettingsPage.ClickAsync(settings.Terms, "Add term");
        await Assertions.Expect(page.GetByTestId("term-row")).ToHaveCountAsync(1);
        await Assertions.Expect(other.Terms.GetByTestId("term-row")).ToHaveCountAsync(1, new() { Timeout = (float)Deadline.TotalMilliseconds });
        // Removing asks first: "No" keeps the term, on the page and in the database; "Yes" removes it.
        await LiveSettingsPage.ClickAsync(settings.Terms, "Remove");
        await Assertions.Expect(settings.Terms).ToContainTextAsync("Remove this term?");
        await LiveSettingsPage.ClickAsync(settings.Terms, "No");
        await Assertions.Expect(settings.Terms.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("term-row")).ToHaveCountAsync(1);
        Assert.Single(await fixture.Service<StudentPayStore>().ListTermsAsync(userId, CancellationToken.None));
        await LiveSettingsPage.ClickAsync(settings.Terms, "Remove");
        await LiveSettingsPage.ClickAsync(settings.Terms, "Yes, remove");
        await Assertions.Expect(page.GetByTestId("term-row")).ToHaveCountAsync(0);
        Assert.Empty(await fixture.Service<StudentPayStore>().ListTermsAsync(userId, CancellationToken.None));

        // API tokens: shown once, then only by their start; revoked in place.
        await settings.Tokens.GetByLabel("Name of a new token").FillAsync("spreadsheet");
        await LiveSettingsPage.ClickAsync(settings.Tokens, "Create token");
        var token = await page.GetByTestId("token-value").InnerTextAsync();
        Assert.StartsWith("ptk_", token, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("token-row")).ToHaveCountAsync(1);
        await LiveSettingsPage.ClickAsync(settings.Tokens, "Revoke");
        await Assertions.Expect(page.GetByTestId("token-row")).ToHaveCountAsync(1);
        await LiveSettingsPage.ClickAsync(settings.Tokens, "Yes, revoke");
        await Assertions.Expect(page.GetByTestId("token-row")).ToHaveCountAsync(0);
        Assert.Empty(await fixture.Service<ApiTokens>().ListAsync(userId, CancellationToken.None));

        // Deleting the account asks on a page of its own.
        await page.GetByTestId("delete-account-link").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete your account" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Keep my account" })).ToBeVisibleAsync();
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task TheSavedPasswordIsNotSentToAChangedAddress()
    {
        var userId = await fixture.CreateUserAsync("kronos-address@browser-settings.test");
        Assert.Equal(Outcome.Ok(), await fixture.Service<KronosConnections>().SaveAsync(userId, Kronos("ana.student", "demo"), CancellationToken.None));
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await SignInAsync(page, "kronos-address@browser-settings.test");
        var settings = new LiveSettingsPage(page);
        await settings.OpenAsync();
        var elsewhere = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        elsewhere.Start();
        try
        {
            await settings.FillKronosAsync($"http://127.0.0.1:{((System.Net.IPEndPoint)elsewhere.LocalEndpoint).Port}/api", "ana.student", "");
            foreach (var button in new[] { "Test connection", "Test and save" })
            {
                await LiveSettingsPage.ClickAsync(settings.Kronos, button);
                await Assertions.Expect(page.GetByTestId("kronos-result")).ToHaveTextAsync(KronosConnections.AddressChanged);
            }

            // The answer came without a connection to the new address, and the saved one is unchanged.
            Assert.False(elsewhere.Pending());
            Assert.Equal(KronosAddress, (await fixture.Service<KronosConnections>().FindAsync(userId, CancellationToken.None))!.BaseUrl);
        }
        finally
        {
            elsewhere.Stop();
        }

        watched.AssertNoProblems();
    }

    [Fact]
    public async Task NotionConnectsFromItsSectionAndDisconnects()
    {
        var userId = await fixture.CreateUserAsync("notion@browser-settings.test");
        var (token, pageId) = await NewNotionIntegrationAsync();
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        await SignInAsync(page, "notion@browser-settings.test");
        var settings = new LiveSettingsPage(page);
        await settings.OpenAsync();
        await page.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");

        // A page id that is none is said in words, and nothing is saved.
        await settings.Notion.GetByLabel("Integration secret").FillAsync(token);
        await settings.Notion.GetByLabel("Page link or id").FillAsync("my page");
        await settings.Notion.GetByLabel("API address").FillAsync(SimulatorOrigin);
        await LiveSettingsPage.ClickAsync(settings.Notion, "Connect Notion");
        await Assertions.Expect(page.GetByTestId("notion-result")).ToContainTextAsync("That is not a Notion page id.");
        Assert.Null(await fixture.Service<NotionConnections>().FindAsync(userId, CancellationToken.None));

        // The page's link (as Notion's Share menu copies it) connects; the secret leaves the form and the page.
        await settings.Notion.GetByLabel("Page link or id").FillAsync("https://www.notion.so/My-PayTrack-" + pageId.Replace("-", "", StringComparison.Ordinal));
        await LiveSettingsPage.ClickAsync(settings.Notion, "Connect Notion");
        await Assertions.Expect(page.GetByTestId("notion-result")).ToContainTextAsync("Notion is connected", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await Assertions.Expect(page.GetByTestId("notion-status")).ToContainTextAsync("Connected:");
        await Assertions.Expect(settings.Notion.GetByLabel("Integration secret")).ToHaveValueAsync("");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.NotNull(await fixture.Service<NotionConnections>().FindAsync(userId, CancellationToken.None));

        await settings.Notion.GetByTestId("notion-disconnect").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notion-result")).ToContainTextAsync("Notion is disconnected");
        await Assertions.Expect(page.GetByTestId("notion-status")).ToHaveCountAsync(0);
        Assert.Null(await fixture.Service<NotionConnections>().FindAsync(userId, CancellationToken.None));
        Assert.True(await page.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"));
        watched.AssertNoProblems();
    }

    /// <summary>A new integration in the simulator's Notion, with one page shared with it.</summary>
    private async Task<(string Token, string PageId)> NewNotionIntegrationAsync()
    {
        using var backdoor = new HttpClient { BaseAddress = new Uri(SimulatorOrigin) };
        using var response = await backdoor.PostAsJsonAsync("/_sim/notion/integrations", new { page_title = "My PayTrack" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["token"]!.GetValue<string>(), body["page_id"]!.GetValue<string>());
    }

    private Task<PayProfile> Profile(string userId) =>
        fixture.Service<PayProfiles>().LoadAsync(new DashboardSubject(userId, IsDemo: false, FixedToday: null), CancellationToken.None);

    private static async Task SignInAsync(IPage page, string email)
    {
        await BrowserFixture.SignInAsync(page, email);
        await Assertions.Expect(page.GetByTestId("sign-out")).ToHaveCountAsync(1);
    }
}
