using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Kronos;

/// <summary>How PayTrack talks to Kronos sites (section PayTrack:Kronos). Per-connection settings are in <see cref="KronosConnectionSettings"/>.</summary>
public sealed class KronosOptions
{
    public const string Section = "PayTrack:Kronos";

    /// <summary>Longest wait for one attempt, answer body included; a hung request is cut and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (timeout, dropped connection, 408, 429, 5xx); 0 turns retries off.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First back-off delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A site's Retry-After up to this long is waited out and the request retried; a longer one ends the read with
    /// "Kronos asked us to wait until ..." and nothing is sent to that account before then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Days per timecard request. Sites refuse more than 366; smaller chunks fetch in parallel and fail smaller.</summary>
    [Range(1, 366)]
    public int ChunkDays { get; set; } = 92;

    /// <summary>Timecard requests in flight at once for one Kronos account.</summary>
    [Range(1, 32)]
    public int MaxParallelChunks { get; set; } = 4;

    /// <summary>Reads of one timecard chunk (the first and its repeats) when the site fails or sends an unreadable answer.</summary>
    [Range(1, 10)]
    public int ChunkAttempts { get; set; } = 3;

    /// <summary>Back-off before a chunk is read again; it doubles each time, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ChunkRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Share of failed attempts to one site, within the sampling duration, that opens its circuit. High, and over many
    /// attempts (<see cref="CircuitMinimumThroughput"/>), so that only a site that keeps failing pauses PayTrack's
    /// requests, never a burst of errors (four chunks in flight failing three times each) that retries get through.
    /// </summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.9;

    /// <summary>Attempts needed within the sampling duration before the circuit may open.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses requests to the site before letting one through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connect to loopback and private network addresses. Off by default, so a typed address cannot make the server call
    /// its own network; on in Development and in the compose demo, whose simulator is on this machine or its network.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Largest answer accepted; a bigger one is a failure, not a memory problem.</summary>
    [Range(1024, 1 << 30)]
    public int MaxResponseBytes { get; set; } = 32 << 20;
}
