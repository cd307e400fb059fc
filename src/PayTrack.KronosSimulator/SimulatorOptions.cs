using System.ComponentModel.DataAnnotations;

namespace PayTrack.KronosSimulator;

/// <summary>Settings of the simulated Kronos site (section "Simulator"; environment variables such as Simulator__Seed).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The same seed gives the same accounts and punches on every machine.</summary>
    public long Seed { get; set; } = 20240901;

    /// <summary>How many numbered load accounts exist: user00000 .. user(N-1), each with its username as password.</summary>
    [Range(0, 1_000_000)]
    public int AccountCount { get; set; } = 1000;

    /// <summary>A session ends after this many idle minutes, as on a real site.</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A fixed "today" for the simulated site (the clock then runs on from that date). Empty: the system clock.</summary>
    public DateOnly? Today { get; set; }

    /// <summary>Days after a shift with a missed out-punch until a supervisor's fix appears.</summary>
    [Range(1, 60)]
    public int FixDelayDays { get; set; } = 3;

    /// <summary>Longest date range the timecard endpoint accepts before answering 413.</summary>
    [Range(1, 3660)]
    public int MaxRangeDays { get; set; } = 366;

    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]+$")]
    public string CookieName { get; set; } = "JSESSIONID";

    /// <summary>How the data endpoints answer once a session has expired.</summary>
    public ExpiredSessionAnswer ExpiredSession { get; set; } = ExpiredSessionAnswer.Unauthorized;

    /// <summary>Serve /_sim/* (ground truth, statistics, faults at run time). Tests and benchmarks need it.</summary>
    public bool ExposeTestEndpoints { get; set; } = true;

    /// <summary>Faults for every account without its own entry in <see cref="AccountFaults"/>. Off by default.</summary>
    public FaultOptions Faults { get; set; } = new();

    /// <summary>Faults per username; an entry replaces <see cref="Faults"/> for that account.</summary>
    public IDictionary<string, FaultOptions> AccountFaults { get; set; } = new Dictionary<string, FaultOptions>(StringComparer.OrdinalIgnoreCase);
}

public enum ExpiredSessionAnswer
{
    /// <summary>401 with a JSON body.</summary>
    Unauthorized,

    /// <summary>200 with the site's HTML login page, as many real sites do.</summary>
    LoginPage,

    /// <summary>302 to the login page.</summary>
    Redirect,
}

/// <summary>
/// Faults on demand. A share is the probability that a request gets that fault (checked in this order:
/// throttle, server error, hang, drop, malformed, HTML page, error object, missing field). <see cref="MaxConsecutive"/> bounds how many
/// requests in a row for the same account and path may fail, so a share of 1 gives a deterministic "fail N times, then answer".
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Added to every answer of the API, in real time.</summary>
    [Range(0, 60_000)]
    public int LatencyMs { get; set; }

    /// <summary>A random extra delay of up to this many milliseconds.</summary>
    [Range(0, 60_000)]
    public int JitterMs { get; set; }

    /// <summary>429 with Retry-After.</summary>
    [Range(0.0, 1.0)]
    public double ThrottleShare { get; set; }

    [Range(0, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>500, or 503 with an HTML "Service Temporarily Unavailable" page.</summary>
    [Range(0.0, 1.0)]
    public double ServerErrorShare { get; set; }

    /// <summary>The request hangs for <see cref="HangSeconds"/>, past any sane client timeout, then gets 504.</summary>
    [Range(0.0, 1.0)]
    public double HangShare { get; set; }

    [Range(0, 3600)]
    public int HangSeconds { get; set; } = 300;

    /// <summary>The connection is cut: before any answer on login, in the middle of the body on data endpoints.</summary>
    [Range(0.0, 1.0)]
    public double DropShare { get; set; }

    /// <summary>A 200 whose JSON is cut off and ends in garbage (data endpoints).</summary>
    [Range(0.0, 1.0)]
    public double MalformedShare { get; set; }

    /// <summary>A 200 with the HTML login page instead of JSON, as when a site drops a session early (data endpoints).</summary>
    [Range(0.0, 1.0)]
    public double HtmlPageShare { get; set; }

    /// <summary>A 200 whose body is {"error": {...}} instead of the timecard (timecard endpoint).</summary>
    [Range(0.0, 1.0)]
    public double ErrorObjectShare { get; set; }

    /// <summary>A 200 timecard whose first punch lacks the required "endreason" (timecard endpoint).</summary>
    [Range(0.0, 1.0)]
    public double MissingFieldShare { get; set; }

    /// <summary>Login answers with a redirect to the site's single-sign-on page, always.</summary>
    public bool SingleSignOn { get; set; }

    /// <summary>
    /// When set, only a timecard request whose dates hold this day can get a fault; every other request is answered as
    /// usual. One chunk in the middle of a history fails while the rest reads.
    /// </summary>
    public DateOnly? OnlyForDay { get; set; }

    /// <summary>At most this many faulty answers in a row per account and path; 0 means no limit.</summary>
    [Range(0, 1000)]
    public int MaxConsecutive { get; set; } = 3;

    internal bool InjectsFaults =>
        ThrottleShare > 0 || ServerErrorShare > 0 || HangShare > 0 || DropShare > 0 ||
        MalformedShare > 0 || HtmlPageShare > 0 || ErrorObjectShare > 0 || MissingFieldShare > 0;
}
