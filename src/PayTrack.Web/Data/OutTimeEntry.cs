namespace PayTrack.Web.Data;

/// <summary>
/// The out time a user entered for a punch the timecard shows without one. While in force it closes that punch's
/// shift. When Kronos later delivers the supervisor's fix, Kronos wins: <see cref="ReplacedAt"/> and
/// <see cref="KronosOutAt"/> are set and the row stays, as the shift's history.
/// </summary>
public sealed class OutTimeEntry
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long RawPunchId { get; set; }

    public DateTimeOffset OutAt { get; set; }

    public DateTimeOffset EnteredAt { get; set; }

    /// <summary>When Kronos's own out-punch arrived and took over; null while the user's time is in force.</summary>
    public DateTimeOffset? ReplacedAt { get; set; }

    /// <summary>The out time Kronos delivered.</summary>
    public DateTimeOffset? KronosOutAt { get; set; }
}
