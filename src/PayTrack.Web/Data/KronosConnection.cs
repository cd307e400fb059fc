namespace PayTrack.Web.Data;

/// <summary>
/// A user's link to their employer's Kronos site: at most one per user. The password is stored only as
/// Data Protection ciphertext bound to its user (see <see cref="ConnectionPasswords"/>); the keys live in PostgreSQL,
/// wrapped with a secret that does not (<see cref="KeyRingSecret"/>), so every node and every restart can read it
/// and a copy of the database alone cannot.
/// </summary>
public sealed class KronosConnection
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>For example https://timecard.example.edu/api; the contract's paths are relative to it.</summary>
    public required string BaseUrl { get; set; }

    public required string Username { get; set; }

    public required string ProtectedPassword { get; set; }

    /// <summary>IANA zone of the time clocks, used for punches that carry none.</summary>
    public required string TimeZone { get; set; }

    /// <summary>Overrides of the contract's default paths and session cookie; null means the default.</summary>
    public string? LoginPath { get; set; }

    public string? EmployeePath { get; set; }

    public string? TimecardPath { get; set; }

    public string? SessionCookieName { get; set; }

    public KronosConnectionStatus Status { get; set; }

    /// <summary>What went wrong last, in words for the user; never a secret.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    public DateTimeOffset? LastSuccessfulSyncAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum KronosConnectionStatus
{
    /// <summary>Saved, not tried yet.</summary>
    Pending,

    /// <summary>The last sign-in or sync worked.</summary>
    Ok,

    /// <summary>The last attempt failed; <see cref="KronosConnection.LastError"/> says why.</summary>
    Failing,

    /// <summary>The site refused the credentials: syncing stops until the user changes them.</summary>
    CredentialsRejected,
}
