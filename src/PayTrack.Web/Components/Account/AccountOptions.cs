using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Components.Account;

public sealed class AccountOptions
{
    public const string Section = "PayTrack:Accounts";

    /// <summary>Require a confirmed e-mail address before sign-in. Off: PayTrack sends no mail.</summary>
    public bool RequireConfirmedEmail { get; set; }

    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Whether visitors may create accounts on the register page.</summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>
    /// While no admin is configured (PayTrack:Admin) and none exists, the first account registered on the register
    /// page becomes the admin, so a fresh install needs no command. Off: admins come from configuration or
    /// <c>users add --admin</c> only.
    /// </summary>
    public bool FirstUserIsAdmin { get; set; } = true;

    /// <summary>
    /// How often an open interactive page checks that its session still holds (the password unchanged, the account
    /// there); a page whose session ended reloads, signed out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class AdminOptions
{
    public const string Section = "PayTrack:Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrEmpty(Password);
}
