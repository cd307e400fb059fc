namespace PayTrack.Web.Data;

/// <summary>
/// The secret of a user's private calendar URL. Like an API token only its SHA-256 is stored: the URL is shown
/// once, and making a new one (or revoking) ends the old one. One per user.
/// </summary>
public sealed class CalendarFeedToken
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required byte[] TokenHash { get; set; }

    /// <summary>The token's first characters, for the settings page to tell URLs apart.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
