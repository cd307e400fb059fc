using System.Collections.Concurrent;

namespace PayTrack.Web.Connections;

/// <summary>
/// One connection test per user every few seconds: a test makes the server call an address the user typed, so it must
/// not become a way to probe hosts quickly. A test that signed in frees the user at once (the next step is usually
/// "Test and save", and a site that accepts the account teaches nothing about other hosts).
/// </summary>
public sealed class ConnectionTestThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public const string Message = "Wait a few seconds before testing the connection again.";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>Starts a test for the user, or false when their last one started less than <see cref="Interval"/> ago.</summary>
    public bool TryStart(string userId)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            if (!_last.TryGetValue(userId, out var last))
            {
                if (_last.TryAdd(userId, now))
                {
                    return true;
                }

                continue;
            }

            if (now - last < Interval && now >= last)
            {
                return false;
            }

            if (_last.TryUpdate(userId, now, last))
            {
                return true;
            }
        }
    }

    /// <summary>The user's test signed in: their next one need not wait.</summary>
    public void Succeeded(string userId) => _last.TryRemove(userId, out _);
}
