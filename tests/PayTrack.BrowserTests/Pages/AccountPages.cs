using Microsoft.Playwright;

namespace PayTrack.BrowserTests.Pages;

/// <summary>Page objects for the account pages: what a person fills in and clicks.</summary>
public sealed class RegisterPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("/account/register");

    public async Task RegisterAsync(string email, string password)
    {
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = false }).First.FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }
}

public sealed class LoginPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("/account/login");

    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}

public sealed class Navigation(IPage page)
{
    public ILocator SignOutButton => page.GetByTestId("sign-out");

    public async Task SignOutAsync() => await SignOutButton.ClickAsync();
}
