using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.BrowserTests.Pages;
using PayTrack.Web.Data;

namespace PayTrack.BrowserTests;

[Collection(BrowserTestGroup.Name)]
public sealed partial class AccountFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task RegisterSignOutAndSignInThroughTheRealPages()
    {
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;

        var register = new RegisterPage(page);
        await register.OpenAsync();
        await register.RegisterAsync("browser@example.edu", "Br0wser-pass!");
        await Assertions.Expect(page.GetByTestId("dashboard-empty")).ToContainTextAsync("Welcome, browser@example.edu");

        await new Navigation(page).SignOutAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();

        await page.GotoAsync("/settings");
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        await new LoginPage(page).SignInAsync("browser@example.edu", "Br0wser-pass!");
        await Assertions.Expect(page).ToHaveURLAsync(SettingsUrl());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task ThePhoneWidthLayoutHidesTheMenuBehindAToggle()
    {
        await using var watched = await fixture.NewPageAsync(width: 390, height: 844);
        var page = watched.Page;
        await page.GotoAsync("/");
        var signIn = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true });
        await Assertions.Expect(signIn).ToBeHiddenAsync();
        await page.GetByText("Menu").ClickAsync();
        await Assertions.Expect(signIn).ToBeVisibleAsync();
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"page is {scrollWidth}px wide at phone width");
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task AnOpenPageEndsItsSessionWhenThePasswordChangesElsewhere()
    {
        await using var watched = await fixture.NewPageAsync();
        var page = watched.Page;
        var register = new RegisterPage(page);
        await register.OpenAsync();
        await register.RegisterAsync("open-page@example.edu", "0pen-Page-pass!");
        await Assertions.Expect(page.GetByTestId("dashboard-empty")).ToBeVisibleAsync();
        await page.GotoAsync("/shifts");
        await OverviewPage.InteractiveAsync(page);
        var signIn = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true });
        await Assertions.Expect(signIn).ToBeHiddenAsync();

        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("open-page@example.edu"))!;
            Assert.True((await users.ChangePasswordAsync(user, "0pen-Page-pass!", "N3w-Page-pass!")).Succeeded);
        }

        // Nothing is clicked: the open page finds out on its own (the browser fixture checks every 2 seconds) and
        // reloads, signed out (the shifts page then shows the demo to a visitor).
        await Assertions.Expect(signIn).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("open-page@example.edu")).ToHaveCountAsync(0);
        await page.GotoAsync("/settings");
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginUrl();

    [GeneratedRegex("/settings$")]
    private static partial Regex SettingsUrl();
}
