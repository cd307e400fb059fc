using System.Net;
using System.Net.Sockets;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Kronos;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;

namespace PayTrack.Tests.Security;

/// <summary>
/// Issue 10, point 2: "Test connection" (the settings form's services: KronosConnections.PasswordFor, then
/// KronosConnectionTester.TestForAsync) sends the saved password only to the address it was saved with, refuses local
/// and private addresses unless PayTrack:Kronos:AllowPrivateAddresses is on, holds a user back for a few seconds after
/// a failed attempt, and says the same short sentence whatever failed inside. The form itself is driven in a browser
/// in SettingsBrowserTests.TheSavedPasswordIsNotSentToAChangedAddress.
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
    public async Task TheSavedPasswordOnlyGoesToTheAddressItWasSavedWith()
    {
        var user = await app.CreateUserAsync("connection-address@example.edu");
        var connections = app.Service<KronosConnections>();
        Assert.Equal(Outcome.Ok(), await connections.SaveAsync(user, new KronosConnectionInput(kronos.BaseUrl, "ana.student", "demo", "America/New_York"), CancellationToken.None));
        var stored = (await connections.FindAsync(user, CancellationToken.None))!;
        const string elsewhere = "https://timecard.elsewhere.example/api";

        Assert.Equal(Outcome.Invalid(KronosConnections.AddressChanged).As<string>(), connections.PasswordFor(stored, elsewhere, ""));
        Assert.Equal(Outcome.Invalid(KronosConnections.AddressChanged).As<string>(), connections.PasswordFor(stored, "http://127.0.0.1:1/api", null));
        Assert.Equal(Outcome.Invalid(KronosConnections.AddressChanged), await connections.SaveAsync(user, new KronosConnectionInput(elsewhere, "ana.student", null, "America/New_York"), CancellationToken.None));
        Assert.Equal(kronos.BaseUrl, (await connections.FindAsync(user, CancellationToken.None))!.BaseUrl);

        // The same address (spaces around it, or its host in capitals) still works without typing the password; a typed one goes anywhere.
        Assert.Equal(Outcome.Of("demo"), connections.PasswordFor(stored, " " + kronos.BaseUrl + " ", ""));
        Assert.Equal(Outcome.Of("typed"), connections.PasswordFor(stored, elsewhere, "typed"));
        Assert.Equal(Outcome.Invalid("Enter the password of your Kronos account.").As<string>(), connections.PasswordFor(null, elsewhere, ""));
        Assert.True(KronosConnections.SameAddress("https://Timecard.Example.edu/api", "https://timecard.example.edu/api"));
        Assert.False(KronosConnections.SameAddress("https://timecard.example.edu/api", "https://timecard.example.edu.evil.example/api"));
        Assert.False(KronosConnections.SameAddress("https://timecard.example.edu/api", "https://timecard.example.edu:8443/api"));
    }

    [Fact]
    public async Task ALocalAddressIsRefusedUnlessTheSettingAllowsItWithTheSameShortMessage()
    {
        var user = await guarded.CreateUserAsync("connection-private@example.edu");
        var local = new TcpListener(IPAddress.Loopback, 0);
        local.Start();
        try
        {
            var address = $"http://127.0.0.1:{((IPEndPoint)local.LocalEndpoint).Port}/api";
            var result = await guarded.Service<KronosConnectionTester>().TestForAsync(
                user, KronosConnections.SettingsFor(address, "ana.student", "demo", "America/New_York", null), CancellationToken.None);

            Assert.Equal(Outcome.Failed(KronosConnectionTester.Failed), result);
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
        var user = await app.CreateUserAsync("connection-same@example.edu");
        var tester = app.Service<KronosConnectionTester>();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var wrongPassword = await tester.TestForAsync(user, KronosConnections.SettingsFor(kronos.BaseUrl, "cara.newhire", "not-the-password", "America/New_York", null), CancellationToken.None);
        app.TestClock.Now += ConnectionTestThrottle.Interval;
        var noAnswer = await tester.TestForAsync(user, KronosConnections.SettingsFor($"http://127.0.0.1:{closedPort}/api", "cara.newhire", "demo", "America/New_York", null), CancellationToken.None);
        app.TestClock.Now += ConnectionTestThrottle.Interval;

        Assert.Equal(KronosConnectionTester.Failed, wrongPassword.Message);
        Assert.Equal(KronosConnectionTester.Failed, noAnswer.Message);
        Assert.True(KronosConnectionTester.Failed.Length < 200);
    }

    [Fact]
    public async Task AUserTestsAtMostOnceEveryFewSecondsAfterAFailure()
    {
        var user = await app.CreateUserAsync("connection-throttle@example.edu");
        var tester = app.Service<KronosConnectionTester>();
        var attemptsBefore = kronos.Stats.LoginAttempts("ben.nightowl");

        var first = await tester.TestForAsync(user, Settings("wrong-1"), CancellationToken.None);
        var second = await tester.TestForAsync(user, Settings("wrong-2"), CancellationToken.None);

        Assert.Equal(KronosConnectionTester.Failed, first.Message);
        Assert.Equal(ConnectionTestThrottle.Message, second.Message);
        Assert.Equal(attemptsBefore + 1, kronos.Stats.LoginAttempts("ben.nightowl"));

        // A few seconds later the next attempt runs; one that signs in does not hold the user back.
        app.TestClock.Now += ConnectionTestThrottle.Interval;
        var third = await tester.TestForAsync(user, Settings("demo"), CancellationToken.None);
        var fourth = await tester.TestForAsync(user, Settings("demo"), CancellationToken.None);
        Assert.StartsWith("Signed in to Kronos as ben.nightowl.", third.Message, StringComparison.Ordinal);
        Assert.StartsWith("Signed in to Kronos as ben.nightowl.", fourth.Message, StringComparison.Ordinal);
    }

    private Web.Kronos.KronosConnectionSettings Settings(string password) =>
        KronosConnections.SettingsFor(kronos.BaseUrl, "ben.nightowl", password, "America/New_York", null);
}
