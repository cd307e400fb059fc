using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>
/// A KronosClient registered exactly as PayTrack registers it (AddKronosClient), with short timeouts so a test of a
/// fault finishes in seconds. Each instance has its own per-site circuit breakers.
/// </summary>
internal sealed class TestKronos : IDisposable
{
    /// <summary>
    /// Quick retries, with a margin (five) for a busy test machine where an attempt may time out now and then; the
    /// circuit breaker effectively off unless a test turns it on.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        // Tests of hangs set their own short limit; this one is long enough that a sign-in on a loaded machine is not
        // cut off and sent again (which would make the counts of sign-ins the tests assert uncertain).
        ["PayTrack:Kronos:AttemptTimeout"] = "00:00:05",
        ["PayTrack:Kronos:MaxRetries"] = "5",
        ["PayTrack:Kronos:RetryBaseDelay"] = "00:00:00.010",
        ["PayTrack:Kronos:RetryMaxDelay"] = "00:00:00.100",
        ["PayTrack:Kronos:MaxRetryAfter"] = "00:00:03",
        ["PayTrack:Kronos:CircuitFailureRatio"] = "1.0",
        ["PayTrack:Kronos:CircuitMinimumThroughput"] = "10000",
        ["PayTrack:Kronos:ChunkRetryDelay"] = "00:00:00.050",

        // The simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
        ["PayTrack:Kronos:AllowPrivateAddresses"] = "true",
    };

    private readonly ServiceProvider _services;

    /// <summary>The circuit breaker as PayTrack ships it, for tests of what may and may not open it.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string?>> ShippedCircuit =
    [
        new("PayTrack:Kronos:CircuitFailureRatio", "0.9"),
        new("PayTrack:Kronos:CircuitMinimumThroughput", "50"),
    ];

    public TestKronos(IEnumerable<KeyValuePair<string, string?>>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(FastSettings)
            .AddInMemoryCollection(overrides ?? [])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddKronosClient();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = _services.GetRequiredService<KronosClient>();
    }

    public KronosClient Client { get; }

    public void Dispose() => _services.Dispose();

    /// <summary>A fetch may take this long at most, whatever the site does.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Timecards as JSON in the contract's shape, so equality means field-for-field equality.</summary>
    public static string Json(IEnumerable<TimecardPeriod> periods) =>
        JsonSerializer.Serialize(periods.ToList(), KronosJsonContext.Default.IReadOnlyListTimecardPeriod);

    public static string Json(BackupFile truth, KronosJobKey job) =>
        Json(truth.Timecards.Single(t => t.EmployeeId == job.EmployeeId && t.PayRuleId == job.PayRuleId).Periods);

    /// <summary>The ground truth of the job <paramref name="read"/> is for.</summary>
    public static string Json(BackupFile truth, JobTimecard read) => Json(truth, new KronosJobKey(read.EmployeeId, read.PayRuleId));
}
