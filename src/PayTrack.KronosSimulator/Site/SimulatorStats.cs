using System.Collections.Concurrent;

namespace PayTrack.KronosSimulator.Site;

internal enum StatName
{
    ApiRequests,
    Logins,
    FailedLogins,
    EmployeeRequests,
    TimecardRequests,
    FaultsInjected,
    CrossAccountDenied,
    ExpiredSessions,
    EarlyRetries,
}

/// <summary>What the site saw, for tests and benchmarks (GET /_sim/stats).</summary>
internal sealed class SimulatorStats
{
    private readonly long[] _counters = new long[Enum.GetValues<StatName>().Length];
    private readonly ConcurrentDictionary<string, int> _loginAttempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _faults = new(StringComparer.Ordinal);

    public void Count(StatName name) => Interlocked.Increment(ref _counters[(int)name]);

    public void CountLoginAttempt(string username) => _loginAttempts.AddOrUpdate(username, 1, static (_, n) => n + 1);

    public void CountFault(string kind)
    {
        Count(StatName.FaultsInjected);
        _faults.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    public long this[StatName name] => Interlocked.Read(ref _counters[(int)name]);

    public int LoginAttempts(string username) => _loginAttempts.GetValueOrDefault(username);

    public StatsSnapshot Snapshot() => new(
        this[StatName.ApiRequests],
        this[StatName.Logins],
        this[StatName.FailedLogins],
        this[StatName.EmployeeRequests],
        this[StatName.TimecardRequests],
        this[StatName.FaultsInjected],
        this[StatName.CrossAccountDenied],
        this[StatName.ExpiredSessions],
        this[StatName.EarlyRetries],
        new SortedDictionary<string, int>(_loginAttempts, StringComparer.Ordinal),
        new SortedDictionary<string, int>(_faults, StringComparer.Ordinal));

    public void Reset()
    {
        for (var i = 0; i < _counters.Length; i++)
        {
            Interlocked.Exchange(ref _counters[i], 0);
        }

        _loginAttempts.Clear();
        _faults.Clear();
    }
}

internal sealed record StatsSnapshot(
    long ApiRequests,
    long Logins,
    long FailedLogins,
    long EmployeeRequests,
    long TimecardRequests,
    long FaultsInjected,
    long CrossAccountDenied,
    long ExpiredSessions,
    long EarlyRetries,
    IReadOnlyDictionary<string, int> LoginAttemptsByAccount,
    IReadOnlyDictionary<string, int> FaultsByKind);
