using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Notion;

/// <summary>
/// Keeps every token at or under its average rate across this process: each request takes the next free slot, spaced
/// 1/rate apart, and a 429's Retry-After pushes the token's next slot to exactly that moment, so the retry and every
/// other request of the token wait for it. Tokens are known only by a hash here.
/// </summary>
public sealed class NotionPacer(IOptions<NotionOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Waits for the token's next slot.</summary>
    public async Task WaitTurnAsync(string token, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(Key(token), static _ => new Slot());
        var interval = TimeSpan.FromSeconds(1 / options.Value.RequestsPerSecond);
        long due;
        lock (slot)
        {
            var now = clock.GetTimestamp();
            due = Math.Max(now, slot.Next);
            slot.Next = due + ToTicks(interval);
        }

        // A timer counts whole milliseconds and may fire up to one early: whatever is left is waited again, so a
        // Retry-After is never cut short.
        TimeSpan wait;
        while ((wait = clock.GetElapsedTime(clock.GetTimestamp(), due)) > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), clock, cancellationToken);
        }
    }

    /// <summary>No request of the token before <paramref name="delay"/> from now (a 429's Retry-After).</summary>
    public void Defer(string token, TimeSpan delay)
    {
        var slot = _slots.GetOrAdd(Key(token), static _ => new Slot());
        lock (slot)
        {
            slot.Next = Math.Max(slot.Next, clock.GetTimestamp() + ToTicks(delay));
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class Slot
    {
        public long Next { get; set; }
    }
}
