namespace PayTrack.Web.Data;

/// <summary>
/// A user's link to their own Notion workspace: at most one per user. The integration token is stored only as Data
/// Protection ciphertext (see Notion/NotionConnections.cs); the two databases PayTrack keeps are remembered by their
/// database and data source ids.
/// </summary>
public sealed class NotionConnection
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The API's root, https://api.notion.com unless the user named another (the simulator).</summary>
    public required string BaseUrl { get; set; }

    /// <summary>The page shared with the integration, under which the databases live.</summary>
    public required string ParentPageId { get; set; }

    public required string ProtectedToken { get; set; }

    public required string ShiftsDatabaseId { get; set; }

    public required string ShiftsDataSourceId { get; set; }

    public required string WeeksDatabaseId { get; set; }

    public required string WeeksDataSourceId { get; set; }

    public NotionConnectionStatus Status { get; set; }

    /// <summary>What went wrong last, in words for the user; never a secret.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    public DateTimeOffset? LastSyncedAt { get; set; }

    /// <summary>Set when something changed that Notion should get; cleared by a sync that started after it.</summary>
    public DateTimeOffset? SyncRequestedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum NotionConnectionStatus
{
    /// <summary>Connected; the last sync (if any) worked.</summary>
    Ok,

    /// <summary>The last sync failed for a passing reason; the next one tries again.</summary>
    Failing,

    /// <summary>Notion refused the token or the pages are no longer shared: syncing stops until the user connects again.</summary>
    NeedsAttention,
}

/// <summary>
/// One Notion page PayTrack keeps: a shift's or a workweek's. A row with no <see cref="NotionPageId"/> is a create
/// that was started and not recorded (a crash in between): the next sync looks for the page by its PayTrack id
/// before creating it again.
/// </summary>
public sealed class NotionPage
{
    public required string UserId { get; set; }

    public NotionPageKind Kind { get; set; }

    /// <summary>The shift's id, or the week's start as the number yyyymmdd: the page's "PayTrack id" property.</summary>
    public long PayTrackId { get; set; }

    public string? NotionPageId { get; set; }

    /// <summary>A hash of the properties last written; null forces the next sync to write them.</summary>
    public string? ContentHash { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum NotionPageKind
{
    Shift,
    Week,
}
