using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PayTrack.Web.Live;

/// <summary>
/// The in-process side of live updates: each open server-sent-event stream subscribes here and receives the
/// events of its user (administrators also receive the jobs page's events). Events reach this broker only
/// through PostgreSQL NOTIFY (<see cref="PostgresLiveNotifier"/>), so a stream on any node sees every node's events.
/// </summary>
public sealed class LiveBroker
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public Subscription Subscribe(string userId, bool isAdmin)
    {
        // A slow browser must not hold up the others: keep the newest events, drop the oldest.
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var subscription = new Subscription(this, channel, userId, isAdmin);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public int SubscriberCount => _subscriptions.Count;

    internal void Dispatch(LiveEvent liveEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (liveEvent.UserId is null ? subscription.IsAdmin : string.Equals(subscription.UserId, liveEvent.UserId, StringComparison.Ordinal))
            {
                subscription.Channel.Writer.TryWrite(liveEvent);
            }
        }
    }

    public sealed class Subscription(LiveBroker broker, Channel<LiveEvent> channel, string userId, bool isAdmin) : IDisposable
    {
        internal Channel<LiveEvent> Channel { get; } = channel;

        internal string UserId { get; } = userId;

        internal bool IsAdmin { get; } = isAdmin;

        public ChannelReader<LiveEvent> Reader => Channel.Reader;

        public void Dispose()
        {
            broker._subscriptions.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }
    }
}
