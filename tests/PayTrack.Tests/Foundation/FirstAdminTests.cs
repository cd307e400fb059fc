using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;

namespace PayTrack.Tests.Foundation;

/// <summary>A fresh install with no admin configured: the first account registered becomes the admin, and only it.</summary>
public sealed class FirstAdminTests
{
    private const string Password = "Corr3ct-horse!";
    private const string Notice = "the account you create here becomes its administrator";

    private static async Task<PayTrackAppFactory> StartAsync(params (string Key, string Value)[] settings)
    {
        var app = new PayTrackAppFactory().WithSetting("PayTrack:Accounts:FirstUserIsAdmin", "true");
        foreach (var (key, value) in settings)
        {
            app.WithSetting(key, value);
        }

        await app.InitializeAsync();
        return app;
    }

    private static HttpClient NewBrowser(PayTrackAppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpClient> RegisterAsync(PayTrackAppFactory app, string email)
    {
        var client = NewBrowser(app);
        using var response = await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static async Task<HttpStatusCode> AdminPageAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/admin");
        return response.StatusCode;
    }

    private static async Task<IReadOnlyList<UserSummary>> UsersAsync(PayTrackAppFactory app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
    }

    [Fact]
    public async Task TheFirstAccountRegisteredBecomesTheAdminAndTheRegisterPageSaysSoUntilThen()
    {
        await using var app = await StartAsync();
        using var visitor = NewBrowser(app);
        Assert.Contains(Notice, await visitor.GetStringAsync("/account/register"), StringComparison.Ordinal);

        using var first = await RegisterAsync(app, "first@example.edu");
        Assert.Equal(HttpStatusCode.OK, await AdminPageAsync(first));
        Assert.DoesNotContain(Notice, await visitor.GetStringAsync("/account/register"), StringComparison.Ordinal);

        using var second = await RegisterAsync(app, "second@example.edu");
        Assert.Equal(HttpStatusCode.Forbidden, await AdminPageAsync(second));
        var users = await UsersAsync(app);
        Assert.True(users.Single(u => u.Email == "first@example.edu").IsAdmin);
        Assert.False(users.Single(u => u.Email == "second@example.edu").IsAdmin);
    }

    [Fact]
    public async Task TwoRegistrationsAtOnceMakeExactlyOneAdmin()
    {
        await using var app = await StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => RegisterAsync(app, $"racer{i}@example.edu")));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        Assert.Single(await UsersAsync(app), u => u.IsAdmin);
    }

    [Fact]
    public async Task WithTheSettingOffTheFirstAccountIsAPlainUser()
    {
        await using var app = await StartAsync(("PayTrack:Accounts:FirstUserIsAdmin", "false"));
        using var visitor = NewBrowser(app);
        Assert.DoesNotContain(Notice, await visitor.GetStringAsync("/account/register"), StringComparison.Ordinal);

        using var first = await RegisterAsync(app, "plain@example.edu");
        Assert.Equal(HttpStatusCode.Forbidden, await AdminPageAsync(first));
    }

    [Fact]
    public async Task AConfiguredAdminMeansNoRegistrationBecomesAdmin()
    {
        await using var app = await StartAsync(("PayTrack:Admin:Email", "configured@example.edu"), ("PayTrack:Admin:Password", "C0nfigured-admin!"));
        using var visitor = NewBrowser(app);
        Assert.DoesNotContain(Notice, await visitor.GetStringAsync("/account/register"), StringComparison.Ordinal);

        using var first = await RegisterAsync(app, "visitor@example.edu");
        Assert.Equal(HttpStatusCode.Forbidden, await AdminPageAsync(first));
    }

    [Fact]
    public async Task UsersAddMakesAnAdminOnlyWithTheFlagAndAnInstallWithAccountsGivesNewcomersNoRole()
    {
        await using var app = await StartAsync();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString };
        var (exitCode, output) = await PayTrackProcess.RunAsync(["users", "add", "--email", "operator@example.edu", "--password", "0perator-Pass!"], environment);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Created user operator@example.edu.", output, StringComparison.Ordinal);
        Assert.False((await UsersAsync(app)).Single(u => u.Email == "operator@example.edu").IsAdmin);

        // The install already has an account: the page promises nothing and the next registration stays a user.
        using var visitor = NewBrowser(app);
        Assert.DoesNotContain(Notice, await visitor.GetStringAsync("/account/register"), StringComparison.Ordinal);
        using var newcomer = await RegisterAsync(app, "newcomer@example.edu");
        Assert.Equal(HttpStatusCode.Forbidden, await AdminPageAsync(newcomer));
    }
}
