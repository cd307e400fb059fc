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

    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>Starts a test for the user, or false when their last one started less than <see cref="Interval"/> ago.</summary>
    public bool TryStart(string userId)
    {
        var now = clock.GetUtcNow();
        lock (_last)
        {
            // A clock that went back does not hold the user up.
            if (_last.TryGetValue(userId, out var last) && now - last < Interval && now >= last)
            {
                return false;
            }

            _last[userId] = now;
            return true;
        }
    }

    /// <summary>The user's test signed in: their next one need not wait.</summary>
    public void Succeeded(string userId)
    {
        lock (_last)
        {
            _last.Remove(userId);
        }
    }
}
