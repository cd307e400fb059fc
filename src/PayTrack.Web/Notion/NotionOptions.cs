using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Notion;

/// <summary>How PayTrack talks to Notion (section PayTrack:Notion).</summary>
public sealed class NotionOptions
{
    public const string Section = "PayTrack:Notion";

    /// <summary>The API's root when a connection names none.</summary>
    [Required]
    [Url]
    public string BaseUrl { get; set; } = "https://api.notion.com";

    /// <summary>The Notion-Version header: the API version whose shapes PayTrack reads and writes (databases with data sources).</summary>
    [Required]
    public string Version { get; set; } = "2025-09-03";

    /// <summary>The average request rate per integration token; Notion allows 3 a second.</summary>
    [Range(0.1, 10_000)]
    public double RequestsPerSecond { get; set; } = 3;

    /// <summary>Requests of one sync in flight at once (each still waits its turn under the rate).</summary>
    [Range(1, 16)]
    public int MaxParallelRequests { get; set; } = 3;

    /// <summary>Attempts of one call before a transient failure (409, 5xx, 529, timeout, dropped connection) is reported.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First back-off delay after a transient failure; later ones double, with jitter. A 429's Retry-After is used as given instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Allow API roots on loopback or private addresses (the simulator, tests); off, PayTrack calls public addresses only.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// Keep each connected user's Notion current on its own: every change to their shifts or weeks (a sync, an import,
    /// a manual shift, a settings change) asks for a sync, run as a Hangfire job. Off, only `notion sync` writes.
    /// </summary>
    public bool SyncAfterChanges { get; set; } = true;

    /// <summary>How long after the first change of a burst the sync starts; later changes in that time ride along.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan SyncDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A request for a sync older than this whose job never cleared it (a failed job) no longer holds new ones back.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PendingRequestLapse { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest wait for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
