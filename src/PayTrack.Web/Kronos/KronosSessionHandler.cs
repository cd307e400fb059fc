using System.Net;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Kronos;

/// <summary>
/// Runs inside each attempt of the resilience handler, just above the primary handler. It gives a request the cookies of
/// ITS account only (the <see cref="KronosSession"/>'s own <see cref="CookieContainer"/>; the pooled primary handler has
/// cookies off, because it serves every account and is replaced when its lifetime ends), keeps the cookies the site
/// sets, moves the request to the connection's own path when the connection names one, and reads the whole answer
/// inside the attempt, so a body that stalls or is cut off is a failed attempt that is retried.
/// </summary>
internal sealed class KronosSessionHandler(IOptions<KronosOptions> options) : DelegatingHandler
{
    public const string SessionOption = "PayTrack.Kronos.Session";

    private static readonly HttpRequestOptionsKey<KronosSession> SessionKey = new(SessionOption);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SessionKey, out var session) || request.RequestUri is null)
        {
            throw new InvalidOperationException("A Kronos request is sent with its session (IKronosApi).");
        }

        var url = session.Connection.Route(request.RequestUri);
        request.RequestUri = url;
        // A retried request is the same message: the cookies are those of this attempt, never the last one's.
        request.Headers.Remove("Cookie");
        var cookies = session.Cookies.GetCookieHeader(url);
        if (cookies.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookies);
        }

        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var header in setCookies)
                {
                    session.Keep(url, header);
                }
            }

            await response.Content.LoadIntoBufferAsync(options.Value.MaxResponseBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
