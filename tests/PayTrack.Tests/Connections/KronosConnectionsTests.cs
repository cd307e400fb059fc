using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Connections;

public sealed class KronosConnectionsTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    [Fact]
    public async Task ThePasswordIsStoredEncryptedAndReadsBackForTheSync()
    {
        var user = await app.CreateUserAsync("kronos@example.edu");
        var connections = app.Service<KronosConnections>();

        Assert.Equal(Outcome.Ok(), await connections.SaveAsync(user, new KronosConnectionInput("https://timecard.example.edu/api", "ana", "S3cret-kronos!", "America/Chicago"), CancellationToken.None));
        Assert.Equal(Outcome.Ok(), await connections.SaveAsync(user, new KronosConnectionInput("https://timecard.example.edu/api", "ana.b", null, "America/Chicago"), CancellationToken.None));

        var stored = await connections.FindAsync(user, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("ana.b", stored.Username);
        Assert.DoesNotContain("S3cret", stored.ProtectedPassword, StringComparison.Ordinal);
        Assert.Equal("S3cret-kronos!", connections.RevealPassword(stored));
        Assert.Equal(1, await CountAsync(app.ConnectionString, "SELECT count(*) FROM kronos_connections WHERE user_id = @user AND protected_password NOT LIKE '%S3cret%'", user));
        Assert.Equal("America/Chicago", await app.Service<ManualShifts>().TimeZoneForAsync(user, CancellationToken.None));
    }

    [Fact]
    public async Task AConnectionNeedsAUrlAPasswordAndAKnownZone()
    {
        var user = await app.CreateUserAsync("kronos-bad@example.edu");
        var connections = app.Service<KronosConnections>();

        Assert.StartsWith("The address must be a full http(s) URL", (await connections.SaveAsync(user, new("timecard.example.edu", "ana", "pw", "America/New_York"), CancellationToken.None)).Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Invalid("The password is required."), await connections.SaveAsync(user, new("https://timecard.example.edu/api", "ana", null, "America/New_York"), CancellationToken.None));
        Assert.StartsWith("'Eastern' is not a known time zone", (await connections.SaveAsync(user, new("https://timecard.example.edu/api", "ana", "pw", "Eastern"), CancellationToken.None)).Message, StringComparison.Ordinal);
        Assert.Null(await connections.FindAsync(user, CancellationToken.None));
    }
}
