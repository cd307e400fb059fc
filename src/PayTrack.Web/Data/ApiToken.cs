namespace PayTrack.Web.Data;

/// <summary>
/// A personal access token for the API. Only the SHA-256 of the token is stored: the token itself is shown once,
/// when it is created, and a copy of the database cannot be used to call the API.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The user's own label ("spreadsheet at home").</summary>
    public required string Name { get; set; }

    /// <summary>SHA-256 of the whole token string.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>The token's first characters, enough for the user to tell tokens apart, not to use one.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
