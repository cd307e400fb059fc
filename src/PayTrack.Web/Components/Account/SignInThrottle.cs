using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// Counts failed sign-ins per client address and per e-mail address (known or not, so the answer never tells which),
/// within a window of <see cref="AccountOptions.LockoutMinutes"/>. Over the limit, sign-in is refused for a while
/// without touching the account: its owner, on a device that signed in to it before, is never held back by the
/// account's count. Counts live in this node's memory: a restart forgets them, which only helps the owner.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, IOptions<AccountOptions> options)
{
    /// <summary>Failures from one client address (any accounts) before it is held back.</summary>
    private int ClientLimit => options.Value.MaxFailedSignIns * 4;

    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    private TimeSpan Window => TimeSpan.FromMinutes(options.Value.LockoutMinutes);

    /// <summary>How long this attempt must wait, or null when it may go ahead.</summary>
    public TimeSpan? RetryAfter(string client, string account, bool knownDevice)
    {
        var now = clock.GetUtcNow();
        var wait = Wait(ClientKey(client), ClientLimit, now);
        if (!knownDevice)
        {
            if (Wait(AccountKey(account), options.Value.MaxFailedSignIns, now) is { } accountWait && (wait is null || accountWait > wait))
            {
                wait = accountWait;
            }
        }

        return wait;
    }

    public void Failed(string client, string account)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxTracked)
        {
            foreach (var (key, failures) in _failures)
            {
                if (failures.Last + Window < now)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        Add(ClientKey(client), now);
        Add(AccountKey(account), now);
    }

    /// <summary>A correct sign-in clears the account's count (not the client's: one right password does not buy more guesses elsewhere).</summary>
    public void Succeeded(string account) => _failures.TryRemove(AccountKey(account), out _);

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return null;
        }

        lock (failures)
        {
            failures.Times.RemoveAll(t => t + Window <= now);
            return failures.Times.Count >= limit ? failures.Times[0] + Window - now : null;
        }
    }

    private void Add(string key, DateTimeOffset now)
    {
        var failures = _failures.GetOrAdd(key, _ => new Failures());
        lock (failures)
        {
            failures.Times.RemoveAll(t => t + Window <= now);
            failures.Times.Add(now);
            failures.Last = now;
        }
    }

    private static string ClientKey(string client) => "c:" + client;

    private static string AccountKey(string account) => "a:" + account.Trim().ToUpperInvariant();

    private sealed class Failures
    {
        public List<DateTimeOffset> Times { get; } = [];

        public DateTimeOffset Last { get; set; }
    }
}
