using System.Collections.Concurrent;

namespace PayTrack.Web.Live;

/// <summary>
/// The in-process side of live updates: each open interactive page (a component on a Blazor circuit) subscribes here
/// and is called with the events of its user (administrators also receive the jobs' events for everyone). Events
/// reach this broker only through PostgreSQL NOTIFY (<see cref="PostgresLiveNotifier"/>), so a page on any node sees
/// every node's events.
/// </summary>
public sealed class LiveBroker
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    /// <summary>
    /// Calls <paramref name="onEvent"/> with every event for <paramref name="userId"/> (and, for an administrator, the
    /// events for administrators) until the subscription is disposed. The handler runs on the listener's thread: it
    /// must hand the work on (a component's InvokeAsync) and return.
    /// </summary>
    public Subscription Subscribe(string userId, bool isAdmin, Action<LiveEvent> onEvent)
    {
        var subscription = new Subscription(this, userId, isAdmin, onEvent);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>
    /// Calls <paramref name="onEvent"/> with every user's events (not the administrators' job events): for work that
    /// follows changes on the server, such as keeping Notion current. Same rule as above: hand the work on and return.
    /// </summary>
    public Subscription SubscribeToEveryUser(Action<LiveEvent> onEvent)
    {
        var subscription = new Subscription(this, null, isAdmin: false, onEvent);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public int SubscriberCount => _subscriptions.Count;

    internal void Dispatch(LiveEvent liveEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (liveEvent.UserId is null
                ? subscription.IsAdmin
                : subscription.UserId is null || string.Equals(subscription.UserId, liveEvent.UserId, StringComparison.Ordinal))
            {
                subscription.OnEvent(liveEvent);
            }
        }
    }

    public sealed class Subscription(LiveBroker broker, string? userId, bool isAdmin, Action<LiveEvent> onEvent) : IDisposable
    {
        /// <summary>The user whose events this subscription gets; null for every user's.</summary>
        internal string? UserId { get; } = userId;

        internal bool IsAdmin { get; } = isAdmin;

        internal Action<LiveEvent> OnEvent { get; } = onEvent;

        public void Dispose() => broker._subscriptions.TryRemove(this, out _);
    }
}
