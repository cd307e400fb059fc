using System.Net;

namespace PayTrack.Web.Kronos;

/// <summary>
/// The signed-in state of ONE Kronos account: its own cookie jar, kept here rather than in the pooled handler (which
/// serves every account and is replaced when its lifetime ends), so one account's cookie never reaches another account's
/// request and a session outlives the handler it started on. Open one per account and sync with
/// <see cref="KronosClient.OpenSession"/>; it is safe to use from parallel requests.
/// </summary>
public sealed class KronosSession : IDisposable
{
    private readonly Lock _lock = new();
    private bool _signedIn;
    private int _generation;
    private KronosFailure? _lastSignInFailure;

    internal KronosSession(KronosConnectionSettings connection, int maxParallelRequests)
    {
        Connection = connection;
        BaseAddress = new Uri(connection.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
        ChunkGate = new SemaphoreSlim(maxParallelRequests, maxParallelRequests);
    }

    public KronosConnectionSettings Connection { get; }

    public bool IsSignedIn
    {
        get
        {
            lock (_lock)
            {
                return _signedIn;
            }
        }
    }

    internal Uri BaseAddress { get; }

    /// <summary>This account's cookies, and nobody else's.</summary>
    internal CookieContainer Cookies { get; } = new();

    /// <summary>A sign-in failure that trying again cannot fix (wrong password, single sign-on): the session stops there.</summary>
    internal KronosFailure? PermanentFailure { get; private set; }

    /// <summary>The site asked us to wait (a Retry-After beyond what PayTrack waits for): nothing is sent before then.</summary>
    internal KronosFailure? Waiting { get; private set; }

    internal SemaphoreSlim SignInGate { get; } = new(1, 1);

    /// <summary>Bounds the account's timecard requests in flight.</summary>
    internal SemaphoreSlim ChunkGate { get; }

    internal (bool SignedIn, int Generation) Current
    {
        get
        {
            lock (_lock)
            {
                return (_signedIn, _generation);
            }
        }
    }

    /// <summary>The outcome of the last sign-in, for callers that waited while another request signed in.</summary>
    internal KronosFailure? LastSignInFailure
    {
        get
        {
            lock (_lock)
            {
                return _lastSignInFailure;
            }
        }
    }

    internal void Keep(Uri url, string setCookie)
    {
        try
        {
            Cookies.SetCookies(url, setCookie);
        }
        catch (CookieException)
        {
            // A cookie the site sets badly is one it will not get back; the sign-in check says so if it was the session's.
        }
    }

    internal bool HasSessionCookie(Uri url) => Cookies.GetCookies(url)[Connection.CookieName] is { Expired: false, Value.Length: > 0 };

    internal void SignedIn()
    {
        lock (_lock)
        {
            _signedIn = true;
            _lastSignInFailure = null;
            _generation++;
        }
    }

    internal void SignInFailed(KronosFailure failure)
    {
        lock (_lock)
        {
            _signedIn = false;
            _lastSignInFailure = failure;
            _generation++;
            foreach (var cookie in Cookies.GetAllCookies().Cast<Cookie>())
            {
                cookie.Expired = true;
            }

            if (failure.Kind is KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired or KronosFailureKind.AddressRefused)
            {
                PermanentFailure = failure;
            }
        }
    }

    internal void Wait(KronosFailure failure)
    {
        lock (_lock)
        {
            if (Waiting?.RetryAt is not { } known || failure.RetryAt > known)
            {
                Waiting = failure;
            }
        }
    }

    public void Dispose()
    {
        SignInGate.Dispose();
        ChunkGate.Dispose();
    }
}
