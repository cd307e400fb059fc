using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;

namespace PayTrack.Tests.Foundation;

public sealed class AccountTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private const string Password = "Corr3ct-horse!";

    private HttpClient NewBrowser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password = Password) =>
        client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string page = "/account/login") =>
        client.SubmitAsync(page, new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    [Fact]
    public async Task RegisteringSignsTheNewUserIn()
    {
        using var client = NewBrowser();
        using var response = await RegisterAsync(client, "reg@example.edu");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectPath());

        var dashboard = await client.GetStringAsync("/");
        Assert.Contains("Welcome, reg@example.edu", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteringWithAWeakPasswordSaysWhyAndCreatesNothing()
    {
        using var client = NewBrowser();
        using var response = await RegisterAsync(client, "weak@example.edu", "short");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("validation-message", html, StringComparison.Ordinal);

        using var scope = app.Services.CreateScope();
        var users = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
        Assert.DoesNotContain(users, u => u.Email == "weak@example.edu");
    }

    [Fact]
    public async Task SignInThenSignOut()
    {
        using (var registration = NewBrowser())
        {
            (await RegisterAsync(registration, "inout@example.edu")).Dispose();
        }

        using var client = NewBrowser();
        using var signIn = await SignInAsync(client, "inout@example.edu", Password, "/account/login?ReturnUrl=%2Fsettings");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/settings", signIn.RedirectPath());
        using (var settings = await client.GetAsync("/settings"))
        {
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }

        using var signOut = await client.SubmitAsync("/settings", new Dictionary<string, string>(), formSelectorHandler: null);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.RedirectPath(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordIsRefusedWithAMessage()
    {
        using (var registration = NewBrowser())
        {
            (await RegisterAsync(registration, "wrong@example.edu")).Dispose();
        }

        using var client = NewBrowser();
        using var response = await SignInAsync(client, "wrong@example.edu", "Not-the-password1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("paytrack.auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ChangingThePasswordMakesTheOldOneStopWorking()
    {
        using var client = NewBrowser();
        (await RegisterAsync(client, "change@example.edu")).Dispose();
        using var change = await client.SubmitAsync("/account/password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = Password,
            ["Input.NewPassword"] = "N3w-password!",
            ["Input.ConfirmPassword"] = "N3w-password!",
        }, formSelectorHandler: "change-password");
        Assert.Contains("Your password has been changed.", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var fresh = NewBrowser();
        using var old = await SignInAsync(fresh, "change@example.edu", Password);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        using var current = await SignInAsync(fresh, "change@example.edu", "N3w-password!");
        Assert.Equal(HttpStatusCode.Redirect, current.StatusCode);
    }

    [Fact]
    public async Task AnonymousVisitorsAreSentToSignIn()
    {
        using var client = NewBrowser();
        using var response = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?", response.RedirectPath(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAdminGets403OnAdminPages()
    {
        using var client = NewBrowser();
        (await RegisterAsync(client, "plain@example.edu")).Dispose();
        using var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminReachesTheAdminPage()
    {
        using (var scope = app.Services.CreateScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("boss@example.edu", Password, admin: true);
            Assert.True(result.Succeeded);
        }

        using var client = NewBrowser();
        (await SignInAsync(client, "boss@example.edu", Password)).Dispose();
        using var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("boss@example.edu", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOutWithoutAnAntiforgeryTokenIsRejected()
    {
        using var client = NewBrowser();
        (await RegisterAsync(client, "csrf@example.edu")).Dispose();
        using var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var stillIn = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }
}
