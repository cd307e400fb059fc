using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Pages;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.BrowserTests;

[Collection(DashboardBrowserGroup.Name)]
public sealed class DashboardBrowserTests
{
    /// <summary>Wednesday 2024-12-11, 15:00 in New York: an imported copy of the seed backup (it ends in December 2024) has a current week, pay period and year to show.</summary>
    public static readonly DateTimeOffset Now = new(2024, 12, 11, 20, 0, 0, TimeSpan.Zero);

    private const string Password = "Dashb0ard-pass!";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly BrowserFixture _fixture;

    public DashboardBrowserTests(BrowserFixture fixture)
    {
        _fixture = fixture;
        _fixture.Clock.Set(Now);
    }

    [Fact]
    public async Task TheDemoRendersWithItsChartsAndNoConsoleErrors()
    {
        await using var watched = await _fixture.NewPageAsync();
        var page = watched.Page;
        var overview = new OverviewPage(page);

        await overview.OpenAsync();
        await Assertions.Expect(overview.DemoBanner).ToContainTextAsync("Demo data.");
        await Assertions.Expect(overview.WeekHours).Not.ToHaveTextAsync("0.00");
        await OverviewPage.ChartsDrawnAsync(page, 1);

        await new ChartsPage(page).OpenAsync();
        await Assertions.Expect(page.GetByTestId("demo-banner")).ToBeVisibleAsync();
        await OverviewPage.ChartsDrawnAsync(page, 6);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task RegisterImportABackupAndSeeTheNumbersAndChartsFill()
    {
        await using var watched = await _fixture.NewPageAsync();
        var page = watched.Page;

        await new RegisterPage(page).OpenAsync();
        await new RegisterPage(page).RegisterAsync("browser-import@example.edu", Password);
        await Assertions.Expect(page.GetByTestId("dashboard-empty")).ToContainTextAsync("Welcome, browser-import@example.edu");

        var settings = new SettingsPage(page);
        await settings.OpenAsync();
        await settings.ImportBackupAsync(BrowserFixture.SeedBackup);
        await Assertions.Expect(settings.ImportResult).ToContainTextAsync("shifts written");

        var expected = await WeekAsync("browser-import@example.edu");
        var overview = new OverviewPage(page);
        await overview.OpenAsync();
        await Assertions.Expect(overview.WeekHours).ToHaveTextAsync(Format.Hours(expected.Totals.Hours));
        await Assertions.Expect(overview.WeekPay).ToHaveTextAsync(Format.Money(expected.Totals.GrossPay));
        await OverviewPage.ChartsDrawnAsync(page, 1);
        Directory.CreateDirectory(BrowserFixture.NotesFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.NotesFolder, "dashboard_1.png"), FullPage = true });

        await new ChartsPage(page).OpenAsync();
        await OverviewPage.ChartsDrawnAsync(page, 6);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.NotesFolder, "dashboard_2.png"), FullPage = true });
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AShiftAddedByHandChangesTheTotalsOnEveryOpenPage()
    {
        var email = "browser-manual@example.edu";
        await using var watched = await SignedInWithSeedDataAsync(email);
        var overviewTab = watched.Page;
        var overview = new OverviewPage(overviewTab);
        await overview.OpenAsync();
        var before = await WeekAsync(email);
        await Assertions.Expect(overview.WeekHours).ToHaveTextAsync(Format.Hours(before.Totals.Hours));
        await OverviewPage.InteractiveAsync(overviewTab);

        var shiftsTab = await overviewTab.Context.NewPageAsync();
        var shifts = new ShiftsPage(shiftsTab);
        await shifts.OpenAsync();
        await shifts.AddShiftAsync("Library Circulation", "2024-12-12", "13:00", "16:00", "Covered the desk");
        await Assertions.Expect(shifts.Message).ToHaveTextAsync("The shift was added.");

        // The first tab was not reloaded: the change reached its circuit (LISTEN/NOTIFY) and it re-rendered.
        await Assertions.Expect(overview.WeekHours).ToHaveTextAsync(Format.Hours(before.Totals.Hours + 3m), new() { Timeout = (float)Deadline.TotalMilliseconds });
        await OverviewPage.ChartsDrawnAsync(overviewTab, 1);
        await Assertions.Expect(shiftsTab.GetByText("Your note: Covered the desk")).ToBeVisibleAsync();
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task TheShiftFormRefusesBadTimesNextToTheFieldAndAsksBeforeALongShift()
    {
        var email = "browser-form@example.edu";
        await using var watched = await SignedInWithSeedDataAsync(email);
        var page = watched.Page;
        var shifts = new ShiftsPage(page);
        await shifts.OpenAsync();
        var before = await WeekAsync(email);
        var form = page.GetByTestId("shift-form");
        var add = form.GetByRole(AriaRole.Button, new() { Name = "Add shift" });
        await form.GetByLabel("Date").FillAsync("2024-12-12");

        await form.GetByLabel("Start").FillAsync("");
        await form.GetByLabel("End").FillAsync("16:00");
        await add.ClickAsync();
        await Assertions.Expect(page.Locator("#start-error")).ToHaveTextAsync("Enter the start time.");
        await Assertions.Expect(form.GetByLabel("Start")).ToHaveAttributeAsync("aria-invalid", "true");

        await form.GetByLabel("Start").FillAsync("13:00");
        await form.GetByLabel("End").FillAsync("13:00");
        await add.ClickAsync();
        await Assertions.Expect(page.Locator("#end-error")).ToHaveTextAsync("The shift ends when it starts. Enter the time it ended.");
        await Assertions.Expect(page.Locator("#start-error")).ToBeEmptyAsync();

        // 08:00 to 23:00 is over the 12-hour maximum: PayTrack asks, and saves only once the user says yes.
        await form.GetByLabel("Start").FillAsync("08:00");
        await form.GetByLabel("End").FillAsync("23:00");
        await add.ClickAsync();
        await Assertions.Expect(page.GetByTestId("long-shift")).ToContainTextAsync("15.00 hours long");
        Assert.Equal(before.Totals.Hours, (await WeekAsync(email)).Totals.Hours);
        await page.GetByTestId("long-shift").GetByLabel("Yes, it really was this long").CheckAsync();
        await add.ClickAsync();
        await Assertions.Expect(shifts.Message).ToHaveTextAsync("The shift was added.");
        Assert.Equal(before.Totals.Hours + 15m, (await WeekAsync(email)).Totals.Hours);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AManualShiftIsCorrectedAndDeletedOnlyAfterConfirming()
    {
        var email = "browser-edit@example.edu";
        await using var watched = await SignedInWithSeedDataAsync(email);
        var page = watched.Page;
        var shifts = new ShiftsPage(page);
        await shifts.OpenAsync();
        var before = await WeekAsync(email);
        await shifts.AddShiftAsync("Library Circulation", "2024-12-13", "09:00", "10:00", "edit-me");
        await Assertions.Expect(shifts.Message).ToHaveTextAsync("The shift was added.");
        var row = page.GetByTestId("shift-row").Filter(new() { HasText = "Your note: edit-me" });

        await row.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        var form = page.GetByTestId("shift-form");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Correct a shift you entered" })).ToBeVisibleAsync();
        await Assertions.Expect(form.GetByLabel("End")).ToHaveValueAsync("10:00");
        await form.GetByLabel("End").FillAsync("12:00");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(shifts.Message).ToHaveTextAsync("The shift was saved.");
        Assert.Equal(before.Totals.Hours + 3m, (await WeekAsync(email)).Totals.Hours);

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete the shift of" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Delete this shift?");
        Assert.Equal(before.Totals.Hours + 3m, (await WeekAsync(email)).Totals.Hours);
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
        await Assertions.Expect(shifts.Message).ToHaveTextAsync("The shift was deleted.");
        Assert.Equal(before.Totals.Hours, (await WeekAsync(email)).Totals.Hours);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AMissedOutPunchIsFixedOnItsOwnShiftAndKronosFixLaterWins()
    {
        var email = "browser-missed@example.edu";
        await using var watched = await SignedInWithSeedDataAsync(email);
        var page = watched.Page;
        var overviewTab = await page.Context.NewPageAsync();
        var overview = new OverviewPage(overviewTab);
        await overview.OpenAsync();
        await OverviewPage.InteractiveAsync(overviewTab);
        var before = await WeekAsync(email);
        await page.GotoAsync("/shifts?from=2024-12-09&to=2024-12-09");
        await OverviewPage.InteractiveAsync(page);
        await page.EvaluateAsync("() => { window.paytrackNotReloaded = true; }");
        await Assertions.Expect(page.GetByTestId("shift-count")).ToHaveTextAsync("2 shifts");
        var dining = page.GetByTestId("shift-row").Filter(new() { HasText = "Mon, Dec 9" }).Filter(new() { HasText = "Dining" });
        await Assertions.Expect(dining).ToHaveCountAsync(1);
        await Assertions.Expect(dining).ToContainTextAsync("Missed out-punch");

        // Monday's Dining shift began at 17:23 and has no out-punch: only the out time is asked, nothing is prefilled.
        await dining.GetByRole(AriaRole.Link, new() { Name = "Enter the times" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter the missing out time" })).ToBeVisibleAsync();
        var form = page.GetByTestId("shift-form");
        await Assertions.Expect(form.GetByLabel("Start")).ToHaveValueAsync("17:23");
        await Assertions.Expect(form.GetByLabel("Start")).ToBeDisabledAsync();
        await Assertions.Expect(form.GetByLabel("End")).ToHaveValueAsync("");
        await form.GetByLabel("End").FillAsync("21:30");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save the out time" }).ClickAsync();

        // The same shift now counts 17:23 to 21:30; the problem is gone, and the other tab's totals follow at once.
        await Assertions.Expect(new ShiftsPage(page).Message).ToHaveTextAsync("The out time was saved: the shift counts now.");
        await Assertions.Expect(dining).ToHaveCountAsync(1);
        await Assertions.Expect(dining).Not.ToContainTextAsync("Missed out-punch");
        await Assertions.Expect(dining.GetByTestId("out-time-history")).ToHaveTextAsync("You entered the out time 21:30 on Wed, Dec 11.");
        var entered = await WeekAsync(email);
        Assert.True(entered.Totals.Hours > before.Totals.Hours, $"{entered.Totals.Hours} h after the entry, {before.Totals.Hours} h before");
        await Assertions.Expect(overview.WeekHours).ToHaveTextAsync(Format.Hours(entered.Totals.Hours), new() { Timeout = (float)Deadline.TotalMilliseconds });

        // The supervisor's fix reaches Kronos (out at 21:00, edited) and a sync stores it: Kronos wins, the entry stays as history.
        await DeliverKronosFixAsync(email);
        await Assertions.Expect(dining.GetByTestId("out-time-history")).ToHaveTextAsync(
            "You entered the out time 21:30 on Wed, Dec 11; Kronos's fix (21:00) replaced it on Wed, Dec 11.", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await Assertions.Expect(dining).ToContainTextAsync("Edited by employer");
        var fixedByKronos = await WeekAsync(email);
        Assert.True(fixedByKronos.Totals.Hours > before.Totals.Hours && fixedByKronos.Totals.Hours < entered.Totals.Hours, $"{fixedByKronos.Totals.Hours} h after Kronos's fix");
        await Assertions.Expect(overview.WeekHours).ToHaveTextAsync(Format.Hours(fixedByKronos.Totals.Hours), new() { Timeout = (float)Deadline.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.paytrackNotReloaded === true"), "the shifts page was reloaded");
        watched.AssertNoProblems();
    }

    /// <summary>
    /// What a sync stores when the supervisor fixes punch D-000170 in Kronos: the same punch id with its out time, marked
    /// edited; it goes through the same merge as every sync, then the same live event.
    /// </summary>
    private async Task DeliverKronosFixAsync(string email)
    {
        var backup = JsonNode.Parse(await File.ReadAllTextAsync(BrowserFixture.SeedBackup))!;
        var dining = backup["timecards"]!.AsArray().Single(t => (int)t!["employeeid"]! == 20417)!;
        var period = dining["periods"]!.AsArray().Single(p => (string)p!["periodStart"]! == "2024-12-01")!;
        var day = period["days"]!.AsArray().Single(d => ((string)d!["day"]!).StartsWith("2024-12-09", StringComparison.Ordinal))!;
        var punch = day["punches"]!.AsArray().Single(p => (string)p!["id"]! == "D-000170")!;
        punch["out_datetime"] = "2024-12-10T02:00:00.000Z";
        punch["out_rounded"] = "2024-12-10T02:00:00.000Z";
        punch["endreason"] = "normal";
        punch["edited"] = true;
        punch["updatedOn"] = "2024-12-11T15:00:00.000Z";
        period["days"] = new JsonArray(day.DeepClone());
        dining["periods"] = new JsonArray(period.DeepClone());
        backup["timecards"] = new JsonArray(dining.DeepClone());
        var userId = await UserIdAsync(email);
        using var scope = _fixture.App.Services.CreateScope();
        using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(backup.ToJsonString()));
        var result = await scope.ServiceProvider.GetRequiredService<BackupImport>().ImportAsync(userId, file, CancellationToken.None);
        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(1, result.Changed);
        await scope.ServiceProvider.GetRequiredService<PayTrack.Web.Live.ILiveNotifier>().PublishAsync(new PayTrack.Web.Live.LiveEvent(PayTrack.Web.Live.LiveEvent.DataChanged, userId, "{}"));
    }

    [Fact]
    public async Task EachJobHasOneColourOnEveryChart()
    {
        await using var watched = await SignedInWithSeedDataAsync("browser-colours@example.edu");
        var page = watched.Page;
        var colours = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var jobs = new[] { "Library Circulation", "Campus Dining, Commons Café" };

        foreach (var (path, count) in new[] { ("/", 1), ("/charts", 6) })
        {
            await page.GotoAsync(path);
            await OverviewPage.ChartsDrawnAsync(page, count);
            // Each drawn chart: which colour its spec gives each series (or label), and whether ApexCharts painted with it.
            var drawn = await page.EvaluateAsync<JsonElement>("""
                () => [...document.querySelectorAll('.chart[data-chart-spec]')].map(el => {
                  const spec = JSON.parse(el.dataset.chartSpec);
                  const names = spec.labels && spec.colors && spec.labels.length === spec.colors.length ? spec.labels : spec.series.map(s => s.name);
                  const fills = new Set([...el.querySelectorAll('svg [fill]')].map(n => n.getAttribute('fill').toLowerCase()));
                  return { chart: el.dataset.chartId, pairs: names.map((n, i) => ({ name: n, colour: (spec.colors || [])[i] || null, painted: fills.has(((spec.colors || [])[i] || '').toLowerCase()) })) };
                })
                """);
            foreach (var chart in drawn.EnumerateArray())
            {
                foreach (var pair in chart.GetProperty("pairs").EnumerateArray())
                {
                    var name = pair.GetProperty("name").GetString()!;
                    if (!jobs.Contains(name) || pair.GetProperty("colour").GetString() is not { } colour)
                    {
                        continue;
                    }

                    Assert.True(pair.GetProperty("painted").GetBoolean(), $"{path} chart {chart.GetProperty("chart")} does not paint {name} in {colour}");
                    (colours.TryGetValue(name, out var set) ? set : colours[name] = new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(colour);
                }
            }
        }

        Assert.Equal(jobs.Order(), colours.Keys.Order());
        Assert.All(colours, c => Assert.True(c.Value.Count == 1, $"{c.Key} has colours {string.Join(", ", c.Value)}"));
        Assert.NotEqual(colours[jobs[0]].Single(), colours[jobs[1]].Single(), StringComparer.OrdinalIgnoreCase);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task TheApiAnswersAVisitorWithAJson401NotASignInPage()
    {
        await using var watched = await _fixture.NewPageAsync();
        foreach (var path in new[] { "/api/summary", "/export/shifts.csv" })
        {
            var response = await watched.Page.Context.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });

            Assert.Equal(401, response.Status);
            Assert.StartsWith("application/problem+json", response.Headers["content-type"], StringComparison.Ordinal);
            using var problem = JsonDocument.Parse(await response.TextAsync());
            Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task TheCsvDownloadHoldsTheSameShiftsAsTheApi()
    {
        await using var watched = await SignedInWithSeedDataAsync("browser-csv@example.edu");
        var page = watched.Page;
        var shifts = new ShiftsPage(page);
        await page.GotoAsync("/shifts?from=2024-09-01&to=2024-12-31");

        var download = await page.RunAndWaitForDownloadAsync(() => shifts.CsvLink.ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var api = await page.Context.APIRequest.GetAsync("/api/shifts?from=2024-09-01&to=2024-12-31");
        using var json = JsonDocument.Parse(await api.TextAsync());

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(json.RootElement.GetArrayLength(), lines.Length - 1);
        var fromApi = json.RootElement.EnumerateArray().Select(s => $"{s.GetProperty("date").GetString()} {s.GetProperty("start").GetString()} {s.GetProperty("end").GetString()} {s.GetProperty("minutes").GetInt32()} {s.GetProperty("paid_minutes").GetInt32()} {s.GetProperty("status").GetString()}");
        var fromCsv = lines.Skip(1).Select(CsvLine.Fields).Select(f => $"{f[0]} {f[4]} {(f[5].Length == 0 ? null : f[5])} {f[6]} {f[7]} {f[8]}");
        Assert.Equal(fromApi, fromCsv);
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AtPhoneWidthTheOverviewFitsTheScreen()
    {
        await using var watched = await _fixture.NewPageAsync(width: 390, height: 844);
        var page = watched.Page;
        var overview = new OverviewPage(page);

        await overview.OpenAsync();
        await Assertions.Expect(overview.DemoBanner).ToBeVisibleAsync();
        await OverviewPage.ChartsDrawnAsync(page, 1);

        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the overview is {scrollWidth}px wide at phone width");
        Directory.CreateDirectory(BrowserFixture.ScreenshotsFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsFolder, "dashboard_phone.png"), FullPage = true });
        await page.GotoAsync("/shifts");
        scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the shifts page is {scrollWidth}px wide at phone width");
        watched.AssertNoProblems();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    public async Task EveryPageFitsTheScreenWithoutConsoleErrorsOrCspViolations(int width, int height)
    {
        var email = $"browser-pages-{width}@example.edu";
        using (var scope = _fixture.App.Services.CreateScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<PayTrack.Web.Components.Account.UserAdministration>().CreateAsync(email, Password, admin: true);
            Assert.True(created.Succeeded);
            await using var file = File.OpenRead(BrowserFixture.SeedBackup);
            Assert.True((await scope.ServiceProvider.GetRequiredService<BackupImport>().ImportAsync(await UserIdAsync(email), file, CancellationToken.None)).Succeeded);
        }

        await using var visitor = await _fixture.NewPageAsync(width, height);
        foreach (var path in new[] { "/", "/charts", "/shifts", "/account/login", "/account/register" })
        {
            await FitsAsync(visitor.Page, path, width);
        }

        await using var watched = await _fixture.NewPageAsync(width, height);
        var page = watched.Page;
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, Password);
        await Assertions.Expect(page.GetByTestId("sign-out")).ToHaveCountAsync(1);
        foreach (var path in new[] { "/", "/charts", "/shifts", "/settings", "/admin", "/admin/jobs", "/account/password" })
        {
            await FitsAsync(page, path, width);
        }

        if (width < 640)
        {
            // The menu is a real button with a name; it opens the links.
            var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
            await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
            await menu.ClickAsync();
            await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Charts" })).ToBeVisibleAsync();
        }

        visitor.AssertNoProblems();
        watched.AssertNoProblems();
    }

    private static async Task FitsAsync(IPage page, string path, int width)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response!.Ok, $"{path} answered {response.Status}");
        if (await page.GetByTestId("interactive").CountAsync() > 0)
        {
            await OverviewPage.InteractiveAsync(page);
        }

        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        if (scrollWidth > width)
        {
            // Name the elements that stick out, so the failure says what to fix.
            var wide = await page.EvaluateAsync<string>(
                "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w)" +
                ".slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '')).join(', ')",
                width);
            Assert.Fail($"{path} is {scrollWidth}px wide at {width}px: {wide}");
        }
    }

    /// <summary>A new account, signed in through the pages, holding the seed backup (imported directly: the import page has its own test).</summary>
    private async Task<WatchedPage> SignedInWithSeedDataAsync(string email)
    {
        var watched = await _fixture.NewPageAsync();
        var register = new RegisterPage(watched.Page);
        await register.OpenAsync();
        await register.RegisterAsync(email, Password);
        await Assertions.Expect(watched.Page.GetByTestId("dashboard-empty")).ToBeVisibleAsync();
        using var scope = _fixture.App.Services.CreateScope();
        await using var file = File.OpenRead(BrowserFixture.SeedBackup);
        var result = await scope.ServiceProvider.GetRequiredService<BackupImport>().ImportAsync(await UserIdAsync(email), file, CancellationToken.None);
        Assert.True(result.Succeeded, result.Summary);
        return watched;
    }

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = _fixture.App.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>The exact pay summary of the current workweek, as the API computes it.</summary>
    private async Task<PaySummary> WeekAsync(string email)
    {
        var subject = new DashboardSubject(await UserIdAsync(email), IsDemo: false, FixedToday: null);
        var profile = await _fixture.App.Services.GetRequiredService<PayProfiles>().LoadAsync(subject, CancellationToken.None);
        return await _fixture.App.Services.GetRequiredService<SummaryQueries>()
            .SummarizeAsync(profile, profile.Calculator.Calendar.WorkweekContaining(profile.Today), CancellationToken.None);
    }
}
