using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Timecards;

/// <summary>Settings of the timecard store, bound from <c>PayTrack:Timecards</c>.</summary>
public sealed class TimecardOptions
{
    public const string Section = "PayTrack:Timecards";

    /// <summary>
    /// A shift longer than this is kept but flagged as an anomaly. At most 24 hours: the overlap check looks one day
    /// around a change, which is only complete for shifts up to a day long (longer ones are flagged anyway).
    /// </summary>
    [Range(1, 24)]
    public double MaxShiftHours { get; set; } = 12;

    /// <summary>The largest backup file an import accepts, in bytes.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxBackupBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The zone for punches without one when the user has no Kronos connection (and the backup names none).</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "America/New_York";

    public TimeSpan MaxShift => TimeSpan.FromHours(MaxShiftHours);
}
