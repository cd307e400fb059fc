using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, points 3 and 4: sign-in cannot be used to lock owners out or to learn which addresses have accounts.</summary>
public sealed class AccountSecurityTests(AccountSecurityTests.CountingFactory app) : IClassFixture<AccountSecurityTests.CountingFactory>
{
    private const string Password = "Corr3ct-horse!";

    [Fact]
    public async Task AnUnknownAddressAndAWrongPasswordGetTheSameAnswerAfterTheSameWork()
    {
        await CreateAsync("known@example.edu");
        using var client = NewBrowser();

        var before = app.Verifications;
        var unknown = await MessageOfAsync(await SignInAsync(client, "nobody-here@example.edu", "Wr0ng-password!"));
        var afterUnknown = app.Verifications;
        var wrong = await MessageOfAsync(await SignInAsync(client, "known@example.edu", "Wr0ng-password!"));

        Assert.Equal(PasswordSignIn.WrongCredentials, unknown);
        Assert.Equal(unknown, wrong);
        Assert.Equal(1, afterUnknown - before);
        Assert.Equal(1, app.Verifications - afterUnknown);
    }

    [Fact]
    public async Task FailuresFromElsewhereHoldStrangersBackButNotTheOwnersKnownDevice()
    {
        await CreateAsync("owner@example.edu");
        using var owner = NewBrowser();
        using (var first = await SignInAsync(owner, "owner@example.edu", Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var attacker = NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(PasswordSignIn.WrongCredentials, await MessageOfAsync(await SignInAsync(attacker, "owner@example.edu", "Gu3ss-number-" + i)));
        }

        var heldBack = await MessageOfAsync(await SignInAsync(attacker, "owner@example.edu", Password));
        Assert.StartsWith("Too many failed sign-ins. Try again in 15 minutes.", heldBack, StringComparison.Ordinal);

        using var again = await SignInAsync(owner, "owner@example.edu", Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);

        // The same holding back for an address without an account: the answer does not tell them apart.
        using var prober = NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            await MessageOfAsync(await SignInAsync(prober, "ghost@example.edu", "Gu3ss-number-" + i));
        }

        Assert.StartsWith("Too many failed sign-ins. Try again in 15 minutes.", await MessageOfAsync(await SignInAsync(prober, "ghost@example.edu", Password)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteringAnAddressWithAnAccountDoesNotSaySo()
    {
        await CreateAsync("occupied-addr@example.edu");
        using var client = NewBrowser();

        using var response = await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "occupied-addr@example.edu",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("taken", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("already taken", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("PayTrack could not create an account with this e-mail address and password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingThePasswordEndsTheAccountsOtherSessions()
    {
        await CreateAsync("sessions@example.edu");
        using var laptop = NewBrowser();
        using var phone = NewBrowser();
        (await SignInAsync(laptop, "sessions@example.edu", Password)).Dispose();
        (await SignInAsync(phone, "sessions@example.edu", Password)).Dispose();
        using (var before = await phone.GetAsync("/settings"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var change = await laptop.SubmitAsync("/account/password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = Password,
            ["Input.NewPassword"] = "N3w-password!",
            ["Input.ConfirmPassword"] = "N3w-password!",
        }, formSelectorHandler: "change-password");
        var changed = await change.Content.ReadAsStringAsync();
        Assert.True(changed.Contains("Your password has been changed.", StringComparison.Ordinal), $"{(int)change.StatusCode} {change.RequestMessage?.RequestUri}: {System.Text.RegularExpressions.Regex.Match(changed, "<main.*", System.Text.RegularExpressions.RegexOptions.Singleline).Value[..Math.Min(1500, System.Text.RegularExpressions.Regex.Match(changed, "<main.*", System.Text.RegularExpressions.RegexOptions.Singleline).Value.Length)]}");

        using var after = await phone.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.RedirectPath(), StringComparison.Ordinal);
        using var stillIn = await laptop.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task GainingOrLosingTheAdminRoleCountsAtTheNextRequestWithoutSigningInAgain()
    {
        await CreateAsync("promoted@example.edu");
        using var browser = NewBrowser();
        (await SignInAsync(browser, "promoted@example.edu", Password)).Dispose();
        using (var before = await browser.GetAsync("/admin"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await SetAdminAsync("promoted@example.edu", admin: true);
        using (var promoted = await browser.GetAsync("/admin"))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }

        await SetAdminAsync("promoted@example.edu", admin: false);
        using (var demoted = await browser.GetAsync("/admin"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, demoted.StatusCode);
        }

        using var stillIn = await browser.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task TheMenuOffersWhatTheVisitorMayOpenAndMarksThePageShown()
    {
        using var visitor = NewBrowser();
        var menu = await MenuAsync(visitor, "/charts");
        Assert.Contains("<a href=\"/charts\" class=\"active\" aria-current=\"page\">Charts</a>", menu, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Dashboard</a>", menu, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/login\"", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/settings\"", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin\"", menu, StringComparison.Ordinal);

        await CreateAsync("menu@example.edu");
        using var user = NewBrowser();
        (await SignInAsync(user, "menu@example.edu", Password)).Dispose();
        menu = await MenuAsync(user, "/shifts?problems=1");
        Assert.Contains("<a href=\"/shifts\" class=\"active\" aria-current=\"page\">Shifts</a>", menu, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/settings\">Settings</a>", menu, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/account/password\" class=\"who\">menu@example.edu</a>", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/account/login\"", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin\"", menu, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(menu, "aria-current"));

        await SetAdminAsync("menu@example.edu", admin: true);
        menu = await MenuAsync(user, "/admin");
        Assert.Contains("<a href=\"/admin\" class=\"active\" aria-current=\"page\">Admin</a>", menu, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Dashboard</a>", menu, StringComparison.Ordinal);
    }

    private static async Task<string> MenuAsync(HttpClient client, string page)
    {
        using var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var start = html.IndexOf("<nav class=\"nav\"", StringComparison.Ordinal);
        return html[start..(html.IndexOf("</nav>", start, StringComparison.Ordinal) + 6)];
    }

    [Fact]
    public async Task AnOpenInteractivePagesSessionEndsWhenThePasswordChanges()
    {
        await CreateAsync("open-page@example.edu");

        // An open interactive page: Blazor gives its circuit a scope, sets the user it connected with, and opens its handlers.
        await using var circuit = app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var users = circuit.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = await circuit.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync((await users.FindByEmailAsync("open-page@example.edu"))!);
        var ended = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state =>
        {
            var now = await state;
            if (now.User.Identity?.IsAuthenticated != true)
            {
                ended.TrySetResult(now);
            }
        };
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        circuit.ServiceProvider.GetServices<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>().OfType<SessionRevalidation>().Single().StartWatching();
        Assert.Equal(SessionState.Current, await circuit.ServiceProvider.GetRequiredService<SessionCheck>().CheckAsync(principal, CancellationToken.None));

        using (var elsewhere = app.Services.CreateScope())
        {
            var manager = elsewhere.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await manager.FindByEmailAsync("open-page@example.edu"))!;
            Assert.True((await manager.ChangePasswordAsync(user, Password, "N3w-password!")).Succeeded);
        }

        // The check runs every PayTrack:Accounts:SessionCheckInterval (one second here): the page's user becomes anonymous.
        var after = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(after.User.Identity?.IsAuthenticated);
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
        using var fresh = app.Services.CreateScope();
        Assert.Equal(SessionState.Ended, await fresh.ServiceProvider.GetRequiredService<SessionCheck>().CheckAsync(principal, CancellationToken.None));
    }

    [Theory]
    [InlineData("/account/login?ReturnUrl=%2Fsettings%09x")]
    [InlineData("/account/login?ReturnUrl=%2Fs%C3%A9ttings")]
    [InlineData("/account/login?ReturnUrl=%2F%2Fevil.example")]
    public async Task AReturnUrlWithATabANonAsciiCharacterOrAnotherHostLeadsHome(string page)
    {
        var email = $"return-{Guid.NewGuid():N}@example.edu";
        await CreateAsync(email);
        using var client = NewBrowser();

        using var response = await SignInAsync(client, email, Password, page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectPath());
    }

    private HttpClient NewBrowser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task CreateAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, Password, admin: false);
        Assert.True(result.Succeeded, result.Message);
    }

    private async Task SetAdminAsync(string email, bool admin)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var result = admin ? await users.AddToRoleAsync(user, Roles.Admin) : await users.RemoveFromRoleAsync(user, Roles.Admin);
        Assert.True(result.Succeeded);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string page = "/account/login") =>
        client.SubmitAsync(page, new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static async Task<string> MessageOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var html = await response.Content.ReadAsStringAsync();
            var match = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"login-error\">(?<m>[^<]*)<");
            return match.Success ? WebUtility.HtmlDecode(match.Groups["m"].Value) : $"(no message; status {(int)response.StatusCode})";
        }
    }

    /// <summary>PayTrack with a password hasher that counts its verifications.</summary>
    public sealed class CountingFactory : PayTrackAppFactory
    {
        private int _verifications;

        public CountingFactory() => WithSetting("PayTrack:Accounts:SessionCheckInterval", "00:00:01");

        public int Verifications => Volatile.Read(ref _verifications);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<AppUser>>(new CountingHasher(this)));
        }

        private sealed class CountingHasher(CountingFactory owner) : IPasswordHasher<AppUser>
        {
            private readonly PasswordHasher<AppUser> _inner = new();

            public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

            public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
            {
                Interlocked.Increment(ref owner._verifications);
                return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
            }
        }
    }
}
