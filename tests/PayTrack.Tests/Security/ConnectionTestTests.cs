using System.Net;
using System.Net.Sockets;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Connections;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Security;

/// <summary>
/// Issue 10, point 2: "Test connection" sends the saved password only to the address it was saved with, refuses local
/// and private addresses unless PayTrack:Kronos:AllowPrivateAddresses is on, holds a user back for a few seconds after
/// an attempt, and says the same short sentence whatever failed inside.
/// </summary>
public sealed class ConnectionTestTests(DashboardAppFactory app, ConnectionTestTests.GuardedApp guarded, SimulatorFixture kronos)
    : IClassFixture<DashboardAppFactory>, IClassFixture<ConnectionTestTests.GuardedApp>, IClassFixture<SimulatorFixture>
{
    /// <summary>PayTrack as it runs by default: local and private addresses refused.</summary>
    public sealed class GuardedApp : DashboardAppFactory
    {
        public GuardedApp() => WithSetting("PayTrack:Kronos:AllowPrivateAddresses", "false");
    }

    [Fact]
    public async Task TheSavedPasswordNeverGoesToANewAddress()
    {
        var (userId, client) = await app.SignedInAsync("connection-address@example.edu");
        using (var saved = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ana.student", "demo", "save"), "kronos"))
        {
            Assert.Equal("/settings?saved=kronos", saved.RedirectPath());
        }

        app.SettableClock.Now += ConnectionTestThrottle.Interval;
        var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        try
        {
            var otherAddress = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/api";
            foreach (var action in new[] { "test", "save" })
            {
                using var response = await client.SubmitAsync("/settings", Form(otherAddress, "ana.student", "", action), "kronos");
                Assert.Equal(KronosConnections.AddressChanged, TestIdText(await response.Content.ReadAsStringAsync(), "kronos-result"));
            }

            // The answer came back without a connection: nothing was sent to the new address, and nothing was saved.
            Assert.False(elsewhere.Pending());
            Assert.Equal(kronos.BaseUrl, (await app.Service<KronosConnections>().FindAsync(userId, CancellationToken.None))!.BaseUrl);

            // The address it was saved with still works without typing the password.
            using var same = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ana.student", "", "test"), "kronos");
            Assert.StartsWith("Signed in to Kronos as ana.student.", TestIdText(await same.Content.ReadAsStringAsync(), "kronos-result"), StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Stop();
        }
    }

    [Fact]
    public async Task ALocalAddressIsRefusedUnlessTheSettingAllowsItWithTheSameShortMessage()
    {
        var (_, client) = await guarded.SignedInAsync("connection-private@example.edu");
        var local = new TcpListener(IPAddress.Loopback, 0);
        local.Start();
        try
        {
            using var response = await client.SubmitAsync("/settings", Form($"http://127.0.0.1:{((IPEndPoint)local.LocalEndpoint).Port}/api", "ana.student", "demo", "test"), "kronos");

            Assert.Equal(KronosConnectionTester.Failed, TestIdText(await response.Content.ReadAsStringAsync(), "kronos-result"));
            Assert.False(local.Pending());
        }
        finally
        {
            local.Stop();
        }
    }

    [Fact]
    public async Task AWrongPasswordAndASiteThatDoesNotAnswerGetTheSameShortMessage()
    {
        var (_, client) = await app.SignedInAsync("connection-same@example.edu");
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        using var wrongPassword = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ana.student", "not-the-password", "test"), "kronos");
        app.SettableClock.Now += ConnectionTestThrottle.Interval;
        using var noAnswer = await client.SubmitAsync("/settings", Form($"http://127.0.0.1:{closedPort}/api", "ana.student", "demo", "test"), "kronos");

        Assert.Equal(KronosConnectionTester.Failed, TestIdText(await wrongPassword.Content.ReadAsStringAsync(), "kronos-result"));
        Assert.Equal(KronosConnectionTester.Failed, TestIdText(await noAnswer.Content.ReadAsStringAsync(), "kronos-result"));
        Assert.True(KronosConnectionTester.Failed.Length < 200);
    }

    [Fact]
    public async Task AUserTestsAtMostOnceEveryFewSecondsAfterAFailure()
    {
        var (_, client) = await app.SignedInAsync("connection-throttle@example.edu");
        var attemptsBefore = kronos.Stats.LoginAttempts("ben.nightowl");

        using var first = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ben.nightowl", "wrong-1", "test"), "kronos");
        using var second = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ben.nightowl", "wrong-2", "test"), "kronos");

        Assert.Equal(KronosConnectionTester.Failed, TestIdText(await first.Content.ReadAsStringAsync(), "kronos-result"));
        Assert.Equal(ConnectionTestThrottle.Message, TestIdText(await second.Content.ReadAsStringAsync(), "kronos-result"));
        Assert.Equal(attemptsBefore + 1, kronos.Stats.LoginAttempts("ben.nightowl"));

        // A few seconds later the next attempt runs; one that signs in does not hold the user back.
        app.SettableClock.Now += ConnectionTestThrottle.Interval;
        using var third = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ben.nightowl", "demo", "test"), "kronos");
        using var fourth = await client.SubmitAsync("/settings", Form(kronos.BaseUrl, "ben.nightowl", "demo", "test"), "kronos");
        Assert.StartsWith("Signed in to Kronos as ben.nightowl.", TestIdText(await third.Content.ReadAsStringAsync(), "kronos-result"), StringComparison.Ordinal);
        Assert.StartsWith("Signed in to Kronos as ben.nightowl.", TestIdText(await fourth.Content.ReadAsStringAsync(), "kronos-result"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(string baseUrl, string username, string password, string action) => new(StringComparer.Ordinal)
    {
        ["Input.BaseUrl"] = baseUrl,
        ["Input.Username"] = username,
        ["Input.Password"] = password,
        ["Input.TimeZone"] = "America/New_York",
        ["Input.Action"] = action,
    };
}
