namespace PayTrack.Web.Data;

/// <summary>
/// A punch exactly as the site (or a backup file) reported it: the current version. It is replaced only by a
/// newer version of the same punch, and the replaced version is kept in <see cref="RawPunchVersion"/>.
/// Written only by the set-based ingest (Timecards/TimecardIngest.cs).
/// </summary>
public sealed class RawPunch : IPunchFields
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long JobId { get; set; }

    /// <summary>The site's id, or "in:" plus the in-punch instant when the site gives none (contract section 3).</summary>
    public required string PunchKey { get; set; }

    public string? SiteId { get; set; }

    public DateTimeOffset InAt { get; set; }

    public DateTimeOffset? OutAt { get; set; }

    public required string EndReason { get; set; }

    public DateTimeOffset? InRounded { get; set; }

    public DateTimeOffset? OutRounded { get; set; }

    /// <summary>As received; null when the site gave none (the connection's zone applied).</summary>
    public string? TimeZone { get; set; }

    public bool? Edited { get; set; }

    public DateTimeOffset? UpdatedOn { get; set; }

    /// <summary>The timecard day the site filed the punch under, as received.</summary>
    public DateOnly? WireDay { get; set; }

    /// <summary>1 for the first version; each newer version adds one.</summary>
    public int Version { get; set; }

    public ShiftSource Source { get; set; }

    /// <summary>The batch that brought this version.</summary>
    public long BatchId { get; set; }

    public long FirstBatchId { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>When this version was stored.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>An earlier version of a <see cref="RawPunch"/>, valid from <see cref="ValidFrom"/> until <see cref="ValidTo"/>.</summary>
public sealed class RawPunchVersion : IPunchFields
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long RawPunchId { get; set; }

    public long JobId { get; set; }

    public int Version { get; set; }

    public string? SiteId { get; set; }

    public DateTimeOffset InAt { get; set; }

    public DateTimeOffset? OutAt { get; set; }

    public required string EndReason { get; set; }

    public DateTimeOffset? InRounded { get; set; }

    public DateTimeOffset? OutRounded { get; set; }

    public string? TimeZone { get; set; }

    public bool? Edited { get; set; }

    public DateTimeOffset? UpdatedOn { get; set; }

    public DateOnly? WireDay { get; set; }

    public ShiftSource Source { get; set; }

    public long BatchId { get; set; }

    public DateTimeOffset ValidFrom { get; set; }

    public DateTimeOffset ValidTo { get; set; }

    /// <summary>The batch that brought the version replacing this one.</summary>
    public long ReplacedByBatchId { get; set; }
}

/// <summary>The fields of a punch as received, shared by the current row and its earlier versions.</summary>
public interface IPunchFields
{
    DateTimeOffset InAt { get; }

    DateTimeOffset? OutAt { get; }

    string EndReason { get; }

    DateTimeOffset? InRounded { get; }

    DateTimeOffset? OutRounded { get; }

    string? TimeZone { get; }

    bool? Edited { get; }

    DateTimeOffset? UpdatedOn { get; }
}
