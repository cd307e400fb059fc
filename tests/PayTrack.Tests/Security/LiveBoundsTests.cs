using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PayTrack.Web.Live;

namespace PayTrack.Tests.Security;

/// <summary>
/// Issue 10, point 11: open live connections are bounded per user and per process (the middleware's answer, a 429
/// before anything is held, is tested over real WebSockets in Live/LiveUpdatesTests).
/// </summary>
public sealed class LiveBoundsTests
{
    [Fact]
    public void OneAccountCannotHoldMoreThanItsShareNorEveryoneMoreThanTheProcessBound()
    {
        var limits = new LiveConnectionLimits(
            Options.Create(new LiveOptions { MaxConnectionsPerUser = 2, MaxConnectionsPerProcess = 3 }),
            NullLogger<LiveConnectionLimits>.Instance);

        Assert.True(limits.TryEnter("user:ana"));
        Assert.True(limits.TryEnter("user:ana"));
        Assert.False(limits.TryEnter("user:ana"));
        Assert.Equal(2, limits.OpenFor("user:ana"));

        Assert.True(limits.TryEnter("user:ben"));
        Assert.False(limits.TryEnter("user:cara"));
        Assert.Equal(3, limits.Open);
        Assert.Equal(0, limits.OpenFor("user:cara"));

        limits.Leave("user:ana");
        Assert.True(limits.TryEnter("user:cara"));
        Assert.Equal(3, limits.Open);
    }

    [Fact]
    public void TheBoundsHaveDefaultsThatHoldEightThousandStreamsBack()
    {
        var defaults = new LiveOptions();
        var limits = new LiveConnectionLimits(Options.Create(defaults), NullLogger<LiveConnectionLimits>.Instance);

        var accepted = Enumerable.Range(0, 8_000).Count(_ => limits.TryEnter("user:one-account"));

        Assert.Equal(defaults.MaxConnectionsPerUser, accepted);
        Assert.True(defaults.MaxConnectionsPerProcess < 8_000);
    }
}
