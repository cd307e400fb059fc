using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PayTrack.KronosSimulator.Site;

internal enum SessionState
{
    Missing,
    Unknown,
    Expired,
    Active,
}

/// <summary>Cookie sessions as the contract describes them: one per login, ended after an idle time.</summary>
internal sealed class SessionStore(TimeProvider time, IOptions<SimulatorOptions> options, SimulatorStats stats)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private int _opened;

    private TimeSpan IdleLimit => TimeSpan.FromMinutes(options.Value.SessionIdleMinutes);

    public string Open(string username)
    {
        if (Interlocked.Increment(ref _opened) % 1024 == 0)
        {
            Sweep();
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        _sessions[token] = new Session(username, time.GetUtcNow());
        return token;
    }

    /// <summary>The account of a live session without counting the request as activity.</summary>
    public string? Peek(string? token) =>
        token is not null && _sessions.TryGetValue(token, out var session) && !IsExpired(session, time.GetUtcNow()) ? session.Username : null;

    public (SessionState State, string? Username) Touch(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (SessionState.Missing, null);
        }

        if (!_sessions.TryGetValue(token, out var session))
        {
            return (SessionState.Unknown, null);
        }

        var now = time.GetUtcNow();
        if (IsExpired(session, now))
        {
            // Requests in flight together may all find the session expired; it expired once.
            if (_sessions.TryRemove(token, out _))
            {
                stats.Count(StatName.ExpiredSessions);
            }

            return (SessionState.Expired, null);
        }

        session.LastSeen = now;
        return (SessionState.Active, session.Username);
    }

    public void Clear() => _sessions.Clear();

    private bool IsExpired(Session session, DateTimeOffset now) => now - session.LastSeen > IdleLimit;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (token, session) in _sessions)
        {
            if (IsExpired(session, now))
            {
                _sessions.TryRemove(token, out _);
            }
        }
    }

    private sealed class Session(string username, DateTimeOffset lastSeen)
    {
        private long _lastSeenTicks = lastSeen.UtcTicks;

        public string Username { get; } = username;

        public DateTimeOffset LastSeen
        {
            get => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _lastSeenTicks, value.UtcTicks);
        }
    }
}
