using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// Sign-in with an e-mail address and a password, as the sign-in page does it: one answer, after the same work (a
/// password hash is checked either way), for an unknown address and a wrong password; failures are throttled per
/// client and per address (<see cref="SignInThrottle"/>) instead of locking the account; a device that signed in to
/// an account before carries a cookie that lets its owner in while strangers are held back.
/// </summary>
public sealed class PasswordSignIn(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IPasswordHasher<AppUser> hasher,
    SignInThrottle throttle,
    IDataProtectionProvider protection)
{
    public const string DeviceCookie = "paytrack.device";

    public const string WrongCredentials = "Wrong e-mail or password.";

    private static readonly Lazy<string> UnknownUserHash = new(() => new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    private readonly IDataProtector _devices = protection.CreateProtector("PayTrack.KnownDevice.v1");

    public async Task<Outcome> SignInAsync(HttpContext http, string email, string password, bool remember)
    {
        ArgumentNullException.ThrowIfNull(http);
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "local";
        var user = await users.FindByEmailAsync(email);
        if (throttle.RetryAfter(client, email, user is not null && KnownDevices(http).Contains(user.Id)) is { } wait)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            return Outcome.Busy(string.Create(CultureInfo.InvariantCulture, $"Too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}."));
        }

        if (user is null)
        {
            // The same work as for a real account, so neither the answer nor its time tells that this address has none.
            hasher.VerifyHashedPassword(new AppUser(), UnknownUserHash.Value, password);
            throttle.Failed(client, email);
            return Outcome.Invalid(WrongCredentials);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            throttle.Failed(client, email);
            return result.IsNotAllowed ? Outcome.Refused("This account cannot sign in yet: its e-mail address is not confirmed.") : Outcome.Invalid(WrongCredentials);
        }

        await signIn.SignInAsync(user, remember);
        throttle.Succeeded(email);
        RememberDevice(http, user.Id);
        return Outcome.Ok();
    }

    private List<string> KnownDevices(HttpContext http)
    {
        if (http.Request.Cookies[DeviceCookie] is not { Length: > 0 } cookie)
        {
            return [];
        }

        try
        {
            return [.. _devices.Unprotect(cookie).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return [];
        }
    }

    private void RememberDevice(HttpContext http, string userId)
    {
        var known = KnownDevices(http);
        known.Remove(userId);
        known.Insert(0, userId);
        http.Response.Cookies.Append(DeviceCookie, _devices.Protect(string.Join(' ', known.Take(5))), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(365),
        });
    }
}
