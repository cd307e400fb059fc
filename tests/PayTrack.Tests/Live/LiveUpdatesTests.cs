using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Live;

namespace PayTrack.Tests.Live;

public sealed class LiveUpdatesTests(LiveUpdatesTests.LimitedApp nodeA) : IClassFixture<LiveUpdatesTests.LimitedApp>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>PayTrack with a small bound on live connections per visitor, so a test can reach it.</summary>
    public sealed class LimitedApp : PayTrackAppFactory
    {
        public LimitedApp() => WithSetting("PayTrack:Live:MaxConnectionsPerUser", "2");
    }

    [Fact]
    public async Task AnEventPublishedOnOneNodeReachesOnlyItsUsersPagesOnAnother()
    {
        await using var nodeB = new PayTrackAppFactory { SharedConnectionString = nodeA.ConnectionString };
        await ((IAsyncLifetime)nodeB).InitializeAsync();
        _ = nodeB.Server;
        _ = nodeA.Server;
        await nodeB.Services.GetRequiredService<PostgresLiveNotifier>().Listening.WaitAsync(Deadline);

        var broker = nodeB.Services.GetRequiredService<LiveBroker>();
        var alice = Channel.CreateUnbounded<LiveEvent>();
        var bob = Channel.CreateUnbounded<LiveEvent>();
        var admin = Channel.CreateUnbounded<LiveEvent>();
        using var aliceSubscription = broker.Subscribe("alice", isAdmin: false, e => alice.Writer.TryWrite(e));
        using var bobSubscription = broker.Subscribe("bob", isAdmin: false, e => bob.Writer.TryWrite(e));
        using var adminSubscription = broker.Subscribe("admin-user", isAdmin: true, e => admin.Writer.TryWrite(e));

        var notifier = nodeA.Services.GetRequiredService<ILiveNotifier>();
        await notifier.PublishAsync(new LiveEvent(LiveEvent.DataChanged, "alice", "{\"shifts\":3}"));
        await notifier.PublishAsync(new LiveEvent(LiveEvent.JobProgress, null, "{\"done\":1}"));
        await notifier.PublishAsync(new LiveEvent(LiveEvent.DataChanged, "bob", "{\"shifts\":1}"));

        using var timeout = new CancellationTokenSource(Deadline);
        var forAlice = await alice.Reader.ReadAsync(timeout.Token);
        Assert.Equal(("alice", "{\"shifts\":3}"), (forAlice.UserId, forAlice.Data));
        var forAdmin = await admin.Reader.ReadAsync(timeout.Token);
        Assert.Equal(LiveEvent.JobProgress, forAdmin.Kind);
        var forBob = await bob.Reader.ReadAsync(timeout.Token);
        Assert.Equal("bob", forBob.UserId);

        // Bob's event came last; by now anything meant for Alice would have arrived too.
        Assert.False(alice.Reader.TryRead(out _));
        Assert.False(bob.Reader.TryRead(out _));
    }

    [Fact]
    public void AClosedPageStopsReceivingEvents()
    {
        var broker = nodeA.Services.GetRequiredService<LiveBroker>();
        var received = 0;
        var subscription = broker.Subscribe("carol", isAdmin: false, _ => Interlocked.Increment(ref received));
        var before = broker.SubscriberCount;
        subscription.Dispose();

        Assert.Equal(before - 1, broker.SubscriberCount);
        broker.Dispatch(new LiveEvent(LiveEvent.DataChanged, "carol", "{}"));
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task LiveConnectionsPerVisitorAreBounded()
    {
        var limits = nodeA.Services.GetRequiredService<LiveConnectionLimits>();
        var open = new List<System.Net.WebSockets.WebSocket>();
        try
        {
            // The bound is 2 in this app: two circuits' connections open, the third is refused before it holds anything.
            for (var i = 0; i < 2; i++)
            {
                open.Add(await ConnectAsync());
            }

            Assert.Equal(2, limits.Open);
            var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(ConnectAsync);
            Assert.Contains("429", refused.Message, StringComparison.Ordinal);
            Assert.Equal(2, limits.Open);

            // Closing one frees its place.
            await open[0].CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow + Deadline;
            while (limits.Open > 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            open.Add(await ConnectAsync());
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    /// <summary>Opens a live connection as Blazor's script does: negotiate, then a WebSocket on /_blazor.</summary>
    private async Task<System.Net.WebSockets.WebSocket> ConnectAsync()
    {
        using var client = nodeA.CreateClient();
        using var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var token = (await negotiate.Content.ReadFromJsonAsync<Negotiation>())!.ConnectionToken;
        var sockets = nodeA.Server.CreateWebSocketClient();
        return await sockets.ConnectAsync(new Uri(nodeA.Server.BaseAddress, "_blazor?id=" + token), CancellationToken.None);
    }

    private sealed record Negotiation(string ConnectionToken);
}
