using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace PayTrack.Web.Operations;

/// <summary>Settings of the reverse proxies in front of PayTrack, bound from <c>PayTrack:ForwardedHeaders</c>.</summary>
public sealed class ProxyOptions
{
    public const string Section = "PayTrack:ForwardedHeaders";

    /// <summary>
    /// Addresses (10.0.0.5) or networks (10.0.0.0/8) of the proxies whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed, comma-separated. Empty: only a proxy on this machine (loopback).
    /// </summary>
    public string? KnownProxies { get; set; }
}

public static class ProxyExtensions
{
    /// <summary>
    /// Behind a proxy that terminates TLS, the request is HTTPS as the browser sent it: cookies get Secure and HSTS is
    /// sent. Only the configured proxies are believed, so a client cannot claim HTTPS or another address by itself.
    /// </summary>
    public static WebApplicationBuilder AddProxies(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>()?.KnownProxies;
        var entries = (configured ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"PayTrack:ForwardedHeaders:KnownProxies: '{entry}' is neither an address nor a network such as 10.0.0.0/8.");
            }
        }

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (entries.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                proxies.ForEach(o.KnownProxies.Add);
                networks.ForEach(o.KnownIPNetworks.Add);
            }
        });
        builder.Services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // Sent for every HTTPS answer, whatever the host name (the default leaves out localhost).
            o.ExcludedHosts.Clear();
        });
        return builder;
    }

    public static WebApplication UseProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }
}
