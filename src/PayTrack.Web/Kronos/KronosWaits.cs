using System.Collections.Concurrent;

namespace PayTrack.Web.Kronos;

/// <summary>
/// Accounts a site asked to wait (429 with a Retry-After beyond <see cref="KronosOptions.MaxRetryAfter"/>), and until
/// when. Kept for the process, not the session, so a new sync of the same account before that instant sends nothing:
/// a site that throttles an account and keeps being asked may lock the student's real account.
/// </summary>
public sealed class KronosWaits(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, KronosFailure> _waits = new(StringComparer.Ordinal);

    internal KronosFailure? For(KronosConnectionSettings connection)
    {
        var key = Key(connection);
        if (!_waits.TryGetValue(key, out var failure))
        {
            return null;
        }

        if (failure.RetryAt > time.GetUtcNow())
        {
            return failure;
        }

        _waits.TryRemove(new KeyValuePair<string, KronosFailure>(key, failure));
        return null;
    }

    internal void Record(KronosConnectionSettings connection, KronosFailure failure) =>
        _waits.AddOrUpdate(Key(connection), failure, (_, known) => known.RetryAt >= failure.RetryAt ? known : failure);

    private static string Key(KronosConnectionSettings connection) =>
        new Uri(connection.BaseUrl).GetLeftPart(UriPartial.Authority).ToUpperInvariant() + " " + connection.Username.Trim().ToUpperInvariant();
}
