namespace PayTrack.Web.Data;

/// <summary>
/// Where the secret that encrypts the Data Protection key ring comes from, bound from <c>PayTrack:DataProtection</c>.
/// The secret never enters the database, so a copy of the database alone cannot decrypt what the keys protect.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "PayTrack:DataProtection";

    /// <summary>The secret itself (at least 32 characters; <c>openssl rand -base64 32</c> makes one).</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the secret, such as a Docker secret under /run/secrets.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Secrets used before the current one, comma-separated. Keys wrapped with one of them are rewrapped with the
    /// current secret at start-up; once every node has started with the new secret, the old one can be removed.
    /// </summary>
    public string? PreviousKeys { get; set; }
}
