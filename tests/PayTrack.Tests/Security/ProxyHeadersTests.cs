using System.Net;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 3: behind a TLS-terminating proxy cookies are Secure and HSTS is sent; only configured proxies are believed; no Server header.</summary>
public sealed class ProxyHeadersTests
{
    [Fact]
    public async Task ATrustedProxysHttpsMakesCookiesSecureAndSendsHstsWithoutAServerHeader()
    {
        await using var app = new PayTrackAppFactory { RealServer = true };
        await app.InitializeAsync();
        using var client = app.CreateClient();

        using var proxied = await GetAsync(client, "https");
        Assert.True(proxied.Headers.Contains("Strict-Transport-Security"));
        var cookies = proxied.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.False(proxied.Headers.Contains("Server"));

        using var plain = await GetAsync(client, null);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.False(plain.Headers.Contains("Server"));
    }

    [Fact]
    public async Task AClientThatIsNotAConfiguredProxyCannotClaimHttps()
    {
        await using var app = new PayTrackAppFactory { RealServer = true }.WithSetting("PayTrack:ForwardedHeaders:KnownProxies", "10.9.9.9, 192.168.50.0/24");
        await app.InitializeAsync();
        using var client = app.CreateClient();

        using var response = await GetAsync(client, "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SendAsync(request);
    }
}
