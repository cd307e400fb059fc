using System.Diagnostics;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// The suite's one test clock. Made with its constructor it stands where the test puts it (<see cref="Now"/>,
/// <see cref="Set"/>, <see cref="Advance"/>), so pages compute "today" from it. <see cref="Running"/> makes one that runs
/// on in real time from where it was last put, for a whole app shared by tests of different dates.
/// <see cref="Following"/> makes one that runs on in real time from another clock's reading, for a PayTrack node whose
/// jobs must see time pass while the simulated Kronos site stands where the test put it. Timers are not faked: they
/// run on real time (a fake timer would stop Hangfire's polls and Kronos retries).
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly TimeProvider? _leader;
    private readonly bool _runs;
    private DateTimeOffset _reading;
    private long _readAt;

    public TestClock(DateTimeOffset now) => _reading = now;

    private TestClock(DateTimeOffset now, TimeProvider? leader)
    {
        _reading = now;
        _leader = leader;
        _runs = true;
        _readAt = Stopwatch.GetTimestamp();
    }

    /// <summary>A clock at <paramref name="from"/> that runs on in real time; <see cref="Set"/> puts it elsewhere and it runs on from there.</summary>
    public static TestClock Running(DateTimeOffset from) => new(from, null);

    /// <summary>A clock reading <paramref name="leader"/>'s time plus the real time since this one was made: moving the leader moves it.</summary>
    public static TestClock Following(TimeProvider leader) => new(default, leader);

    public DateTimeOffset Now
    {
        get => GetUtcNow();
        set => Set(value);
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            var basis = _leader?.GetUtcNow() ?? _reading;
            return _runs ? basis + Stopwatch.GetElapsedTime(_readAt) : basis;
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_lock)
        {
            EnsureOwnTime();
            _reading = now.ToUniversalTime();
            _readAt = Stopwatch.GetTimestamp();
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            EnsureOwnTime();
            _reading += by;
        }
    }

    private void EnsureOwnTime()
    {
        if (_leader is not null)
        {
            throw new InvalidOperationException("A following clock moves with its leader: move the leader.");
        }
    }
}
