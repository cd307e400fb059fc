using System.Net;
using PayTrack.KronosSimulator.Site;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>The outbound address guard: what PayTrack refuses to connect to unless PayTrack:Kronos:AllowPrivateAddresses is on.</summary>
public sealed class OutboundGuardTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _site;

    public OutboundGuardTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task ALoopbackSiteIsRefusedWhereTheConnectionIsMadeAndNothingIsSent(string host)
    {
        using var kronos = new TestKronos([new("PayTrack:Kronos:AllowPrivateAddresses", "false")]);
        var connection = _site.Connection("ana.student") with { BaseUrl = _site.BaseUrl.Replace("127.0.0.1", host, StringComparison.Ordinal) };
        using var session = kronos.Client.OpenSession(connection);

        var jobs = await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        var again = await kronos.Client.SignInAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.Equal(KronosFailureKind.AddressRefused, jobs.Failure?.Kind);
        Assert.Equal(KronosFailureKind.AddressRefused, again.Failure?.Kind);
        Assert.Equal(0, _site.Stats[StatName.ApiRequests]);
    }

    [Fact]
    public async Task TheGuardIsOffOnlyWhenTheSettingSaysSo()
    {
        using var kronos = new TestKronos([new("PayTrack:Kronos:AllowPrivateAddresses", "true")]);
        using var session = kronos.Client.OpenSession(_site.Connection("ana.student"));
        Assert.True((await kronos.Client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound)).Succeeded);
        Assert.False(new KronosOptions().AllowPrivateAddresses);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    public void LocalPrivateAndReservedAddressesAreNotPublic(string address) =>
        Assert.False(OutboundGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesArePublic(string address) =>
        Assert.True(OutboundGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("ftp://timecard.example.edu/api", false, "http:// or https://")]
    [InlineData("file:///etc/passwd", false, "http:// or https://")]
    [InlineData("http://127.0.0.1:5090/api", false, "local or private")]
    [InlineData("http://[::1]/api", false, "local or private")]
    [InlineData("http://localhost/api", false, "local or private")]
    [InlineData("http://192.168.0.4/api", false, "local or private")]
    [InlineData("http://192.168.0.4/api", true, null)]
    [InlineData("https://timecard.example.edu/api", false, null)]
    public void AnAddressIsCheckedBeforeAnyConnection(string url, bool allowPrivate, string? problem)
    {
        var answer = OutboundGuard.Problem(new Uri(url), allowPrivate);
        if (problem is null)
        {
            Assert.Null(answer);
        }
        else
        {
            Assert.Contains(problem, answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARedirectIsNeverFollowed()
    {
        using var handler = OutboundGuard.Apply(new SocketsHttpHandler(), allowPrivateAddresses: true);
        using var http = new HttpClient(handler);
        var login = new FormUrlEncodedContent([new("username", "eve.sso"), new("password", "demo")]);

        using var response = await http.PostAsync(_site.BaseUrl + "/login", login);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/api/sso", response.Headers.Location?.OriginalString);
    }
}
