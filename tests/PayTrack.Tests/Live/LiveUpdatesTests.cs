using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Live;

namespace PayTrack.Tests.Live;

public sealed class LiveUpdatesTests(PayTrackAppFactory nodeA) : IClassFixture<PayTrackAppFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnEventPublishedOnOneNodeReachesOnlyItsUsersStreamsOnAnother()
    {
        await using var nodeB = new PayTrackAppFactory { SharedConnectionString = nodeA.ConnectionString };
        await ((IAsyncLifetime)nodeB).InitializeAsync();
        _ = nodeB.Server;
        _ = nodeA.Server;
        await nodeB.Services.GetRequiredService<PostgresLiveNotifier>().Listening.WaitAsync(Deadline);

        var broker = nodeB.Services.GetRequiredService<LiveBroker>();
        using var alice = broker.Subscribe("alice", isAdmin: false);
        using var bob = broker.Subscribe("bob", isAdmin: false);
        using var admin = broker.Subscribe("admin-user", isAdmin: true);

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
    public async Task TheLiveStreamDeliversServerSentEventsToTheSignedInUser()
    {
        using var client = nodeA.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "live@example.edu",
            ["Input.Password"] = "L1ve-password!",
            ["Input.ConfirmPassword"] = "L1ve-password!",
        })).Dispose();
        await nodeA.Services.GetRequiredService<PostgresLiveNotifier>().Listening.WaitAsync(Deadline);

        using var timeout = new CancellationTokenSource(Deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/live");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("event: connected", await reader.ReadLineAsync(timeout.Token));

        var userId = await UserIdAsync("live@example.edu");
        await nodeA.Services.GetRequiredService<ILiveNotifier>().PublishAsync(new LiveEvent(LiveEvent.DataChanged, userId, "{\"new\":2}"), timeout.Token);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && line != "event: data-changed");
        Assert.Equal("data: {\"new\":2}", await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task AnonymousVisitorsGetNoStream()
    {
        using var client = nodeA.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/live");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = nodeA.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PayTrack.Web.Data.AppUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }
}
